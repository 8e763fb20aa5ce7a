package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A protocol that wants to know about each direction closing on its own: Twisted's {@code
 * IHalfCloseableProtocol}. Without it, the peer's half-close closes the whole connection with
 * {@link ConnectionDone}.
 */
@API(status = STABLE, since = "0.1")
public interface HalfCloseableProtocol {

    /** The peer will send no more (it half-closed); this side may still write. */
    void readConnectionLost();

    /** Our {@link TcpTransport#loseWriteConnection()} has completed; we may still read. */
    void writeConnectionLost();
}
