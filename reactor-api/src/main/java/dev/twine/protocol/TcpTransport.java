package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The transport of a TCP connection: Twisted's {@code ITCPTransport}. Called on the reactor
 * thread.
 */
@API(status = STABLE, since = "0.1")
public interface TcpTransport extends Transport {

    /**
     * Half-closes: sends everything written so far, then shuts down the sending side (the peer
     * reads end of stream) while this side keeps reading. A protocol that implements {@link
     * HalfCloseableProtocol} hears {@code writeConnectionLost}; the connection is closed for good
     * once both directions are.
     */
    void loseWriteConnection();

    /** Sets TCP_NODELAY (disables Nagle's algorithm when true). */
    void setTcpNoDelay(boolean enabled);

    /** Whether TCP_NODELAY is set. */
    boolean getTcpNoDelay();

    /** Sets SO_KEEPALIVE. */
    void setTcpKeepAlive(boolean enabled);

    /** Whether SO_KEEPALIVE is set. */
    boolean getTcpKeepAlive();
}
