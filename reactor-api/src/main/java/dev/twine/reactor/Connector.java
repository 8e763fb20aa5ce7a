package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * An outgoing connection attempt and, once it succeeds, its connection: Twisted's {@code
 * IConnector}, given to the {@link dev.twine.protocol.ClientFactory} callbacks. Used on the reactor
 * thread.
 */
@API(status = STABLE, since = "0.1")
public interface Connector {

    /**
     * Abandons the attempt; the factory hears {@code clientConnectionFailed} with a {@link
     * dev.twine.protocol.ConnectCancelledException}.
     *
     * @throws IllegalStateException if it is not connecting (already connected or failed)
     */
    void stopConnecting();

    /** Closes the connection if connected, or stops connecting if connecting. */
    void disconnect();

    /**
     * Tries again, after a failure or a lost connection; for reconnecting factories.
     *
     * @throws IllegalStateException if it is connecting or connected
     */
    void connect();

    /** Where it connects to. */
    Address getDestination();
}
