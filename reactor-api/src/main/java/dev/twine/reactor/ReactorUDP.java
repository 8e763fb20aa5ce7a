package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import org.apiguardian.api.API;

/**
 * UDP, an optional capability ({@link Capability#UDP}): Twisted's {@code IReactorUDP}. Called on
 * the reactor thread.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorUDP {

    /** Twisted's default largest datagram read. */
    int DEFAULT_MAX_PACKET_SIZE = 8192;

    /** {@link #listenUDP(int, DatagramProtocol, String, int)} on every interface. */
    default DatagramTransport listenUDP(int port, DatagramProtocol protocol) {
        return listenUDP(port, protocol, "", DEFAULT_MAX_PACKET_SIZE);
    }

    /**
     * Binds a datagram socket and connects {@code protocol} to it ({@code makeConnection}, then
     * {@code startProtocol}). An exception thrown by {@code startProtocol}, as by the protocol's
     * other callbacks, is logged: the port is returned and works.
     *
     * @throws CannotListenException if it cannot bind
     * @throws IllegalArgumentException if {@code iface} is not an address or {@code port} is out of range
     */
    DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize);
}
