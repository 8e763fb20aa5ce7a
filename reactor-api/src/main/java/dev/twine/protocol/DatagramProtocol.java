package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.reactor.Address;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The code on a UDP socket: Twisted's {@code DatagramProtocol}. Called on the reactor thread:
 * {@link #makeConnection} (which calls {@link #startProtocol()}), {@link #datagramReceived} per
 * datagram, and {@link #stopProtocol()} when the port stops.
 */
@API(status = STABLE, since = "0.1")
public abstract class DatagramProtocol {
    private DatagramTransport transport;

    /** Connects this protocol to its socket and calls {@link #startProtocol()}. */
    public void makeConnection(DatagramTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        startProtocol();
    }

    /** The socket, or {@code null} before {@link #makeConnection}. */
    public final DatagramTransport transport() {
        return transport;
    }

    /** The socket is ready. Does nothing by default. */
    public void startProtocol() {
    }

    /** The socket is closed. Does nothing by default. */
    public void stopProtocol() {
    }

    /** A datagram arrived from {@code from}; the array is the protocol's to keep. */
    public void datagramReceived(byte[] data, Address from) {
    }

    /**
     * In connected mode, a datagram we sent was refused by the peer (ICMP port unreachable).
     * Does nothing by default.
     */
    public void connectionRefused() {
    }
}
