package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Failure;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The code on one end of a stream connection: Twisted's {@code Protocol}. Subclass it and
 * override the events you care about.
 *
 * <p>Lifecycle, always in this order and always on the reactor thread: {@link #makeConnection}
 * (which calls {@link #connectionMade()}), then {@link #dataReceived} any number of times, then
 * {@link #connectionLost} exactly once with the reason: {@link ConnectionDone} for a clean close
 * (by either side), {@link ConnectionLost} (or its subclass {@link ConnectionAborted}) otherwise,
 * or the reason given to {@link Transport#loseConnection(Throwable)}. An exception thrown from
 * any of these is reported to the reactor's error log and the connection is closed; the reactor
 * keeps running.
 */
@API(status = STABLE, since = "0.1")
public abstract class Protocol {
    private Transport transport;

    /**
     * Connects this protocol to {@code transport}, then calls {@link #connectionMade()}. Called
     * by the reactor (or a test double) once.
     */
    public void makeConnection(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        connectionMade();
    }

    /** The transport given to {@link #makeConnection}, or {@code null} before it. */
    public final Transport transport() {
        return transport;
    }

    /** The connection is up; {@link #transport()} may be written to. Does nothing by default. */
    public void connectionMade() {
    }

    /**
     * Bytes arrived. Framing is not preserved: a peer's single write may arrive in several
     * pieces and several writes in one. The array is the protocol's to keep. Does nothing by
     * default.
     */
    public void dataReceived(byte[] data) {
    }

    /** The connection is closed; {@code reason} says how. Does nothing by default. */
    public void connectionLost(Failure reason) {
    }
}
