package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.reactor.ListeningPort;
import org.apiguardian.api.API;

/**
 * A bound UDP socket: Twisted's {@code IUDPTransport} and its listening port in one. Called on
 * the reactor thread.
 */
@API(status = STABLE, since = "0.1")
public interface DatagramTransport extends ListeningPort {

    /**
     * Sends one datagram to {@code host}:{@code port}. A datagram the socket cannot take now is
     * dropped, as UDP allows.
     *
     * @throws IllegalStateException in connected mode, to any other destination
     * @throws IllegalArgumentException if {@code host} is not an IP address, or is an address of the
     *     other family than the one the port is bound to (an IPv6 address from a port bound to IPv4)
     */
    void write(byte[] datagram, String host, int port);

    /**
     * In connected mode, sends one datagram to the connected peer.
     *
     * @throws IllegalStateException if not connected
     */
    void write(byte[] datagram);

    /**
     * Connected mode: only datagrams from {@code host}:{@code port} are received, and {@link
     * #write(byte[])} sends there.
     *
     * @throws IllegalArgumentException if {@code host} is not an IP address
     * @throws IllegalStateException if already connected
     */
    void connect(String host, int port);

    /** Allows (or forbids) sending to broadcast addresses. */
    void setBroadcastAllowed(boolean enabled);

    /** Whether sending to broadcast addresses is allowed. */
    boolean getBroadcastAllowed();
}
