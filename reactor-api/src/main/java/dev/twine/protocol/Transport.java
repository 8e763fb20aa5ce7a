package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.reactor.Address;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One end of a stream connection as its {@link Protocol} sees it: Twisted's {@code ITransport}.
 * Called on the reactor thread only.
 *
 * <p>As a {@link DataConsumer} it takes writes; as a {@link PushProducer} it is the source of
 * {@code dataReceived}: pausing it stops reading from the peer, resuming starts again.
 */
@API(status = STABLE, since = "0.1")
public interface Transport extends DataConsumer, PushProducer {

    /**
     * Writes several buffers, in order, as if by one {@link #write} of their concatenation (a
     * gathering write where the transport can).
     */
    void writeSequence(List<byte[]> data);

    /**
     * Closes the connection after sending everything written to it; the protocol then hears {@code
     * connectionLost} with {@link ConnectionDone}. A registered pull producer holds the close back
     * until it unregisters (it is asked for more each time the buffer drains, as usual); a streaming
     * producer does not, and is told {@code stopProducing} when the connection closes, as in
     * Twisted. The close never happens within this call, so bytes written later in the
     * same callback are sent too, as in Twisted; writes after the connection has closed are
     * ignored. Reading stops at once. Calling it again does nothing.
     */
    void loseConnection();

    /**
     * Like {@link #loseConnection()}, but the protocol's {@code connectionLost} receives {@code
     * reason}: for a protocol that closes because of a fault (a malformed frame, say) and wants
     * the fault on record. The peer still sees an orderly close.
     */
    void loseConnection(Throwable reason);

    /**
     * Closes the connection now, dropping anything not yet sent; the protocol hears {@code
     * connectionLost} with {@link ConnectionAborted}, the peer a reset. Safe to call more than
     * once and after {@link #loseConnection()}.
     */
    void abortConnection();

    /** Whether {@link #loseConnection} or {@link #abortConnection} has been called. */
    boolean isDisconnecting();

    /** The remote end's address. */
    Address getPeer();

    /** The local end's address. */
    Address getHost();
}
