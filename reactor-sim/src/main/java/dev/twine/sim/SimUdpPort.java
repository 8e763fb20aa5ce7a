package dev.twine.sim;

import dev.twine.defer.Deferred;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * A simulated UDP port. Each datagram is dropped, duplicated, or delayed past later ones with the
 * options' probabilities, lost across a partition, and truncated to the receiver's largest packet.
 */
final class SimUdpPort implements DatagramTransport {
    private final SimulatedReactor host;
    private final int port;
    private final DatagramProtocol protocol;
    private final IPv4Address bound;
    private final int maxPacketSize;
    private String connectedHost;
    private int connectedPort;
    private boolean broadcast;
    private boolean closed;
    private Deferred<Void> stopped;

    SimUdpPort(SimulatedReactor host, int port, DatagramProtocol protocol, String bound, int maxPacketSize) {
        this.host = host;
        this.port = port;
        this.protocol = protocol;
        this.bound = new IPv4Address("UDP", bound, port);
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public void write(byte[] datagram, String toHost, int toPort) {
        host.checkThread();
        Objects.requireNonNull(datagram, "datagram");
        if (connectedHost != null && !(connectedHost.equals(toHost) && connectedPort == toPort)) {
            throw new IllegalStateException("connected to " + connectedHost + ":" + connectedPort + "; cannot send to "
                    + toHost + ":" + toPort);
        }
        if (!Simulation.isIpv4Literal(toHost)) {
            throw new IllegalArgumentException("not an IPv4 address: '" + toHost + "' (a simulated network has no IPv6)");
        }
        if (closed) {
            return;
        }
        Simulation sim = host.sim();
        SimulatedReactor target = sim.resolve(toHost, host);
        if (target == null) {
            return; // nobody there: lost, as UDP allows
        }
        byte[] copy = datagram.clone();
        int copies = sim.random().nextDouble() < sim.options().udpDrop() ? 0
                : sim.random().nextDouble() < sim.options().udpDuplicate() ? 2 : 1;
        IPv4Address from = new IPv4Address("UDP", target == host ? "127.0.0.1" : host.address(), port);
        for (int i = 0; i < copies; i++) {
            long departure = sim.departure(host, target);
            if (departure == Long.MAX_VALUE || departure > sim.nanoTime()) {
                return; // a partition: lost
            }
            long arrival = departure + sim.latency(host, target);
            if (sim.random().nextDouble() < sim.options().udpReorder()) {
                arrival += 1 + sim.random().nextLong(4 * sim.options().maxLatency().toNanos() + 1);
            }
            target.io(arrival, () -> {
                SimUdpPort receiver = target.udpPorts.get(toPort);
                if (receiver == null || receiver.closed) {
                    if (connectedHost != null && !closed) {
                        long back = sim.departure(target, host);
                        if (back != Long.MAX_VALUE) {
                            host.io(back + sim.latency(target, host), this::refused);
                        }
                    }
                    return;
                }
                receiver.receive(copy, from);
            });
        }
    }

    private void refused() {
        if (!closed) {
            try {
                protocol.connectionRefused();
            } catch (Throwable e) {
                host.logError(e, "Unhandled error in " + protocol.getClass().getName() + " (connectionRefused):");
            }
        }
    }

    private void receive(byte[] data, IPv4Address from) {
        if (connectedHost != null) {
            SimulatedReactor expected = host.sim().resolve(connectedHost, host);
            SimulatedReactor sender = host.sim().resolve(from.host(), host);
            if (expected != sender || from.port() != connectedPort) {
                return;
            }
        }
        byte[] delivered = data.length > maxPacketSize ? Arrays.copyOf(data, maxPacketSize) : data.clone();
        if (host.sim().tracing()) {
            host.sim().trace(host, "udp " + port + " read " + delivered.length);
        }
        try {
            protocol.datagramReceived(delivered, from);
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + protocol.getClass().getName() + " (datagramReceived):");
        }
    }

    @Override
    public void write(byte[] datagram) {
        if (connectedHost == null) {
            throw new IllegalStateException("not connected: give the destination");
        }
        write(datagram, connectedHost, connectedPort);
    }

    @Override
    public void connect(String toHost, int toPort) {
        host.checkThread();
        if (!Simulation.isIpv4Literal(toHost)) {
            throw new IllegalArgumentException("not an IPv4 address: '" + toHost + "'");
        }
        if (connectedHost != null) {
            throw new IllegalStateException("already connected to " + connectedHost + ":" + connectedPort);
        }
        connectedHost = toHost;
        connectedPort = toPort;
    }

    @Override
    public void setBroadcastAllowed(boolean enabled) {
        broadcast = enabled;
    }

    @Override
    public boolean getBroadcastAllowed() {
        return broadcast;
    }

    @Override
    public Deferred<Void> stopListening() {
        host.checkThread();
        if (stopped == null) {
            stopped = new Deferred<>();
            host.soon(this::close);
        }
        Deferred<Void> result = new Deferred<>();
        stopped.addCallback(v -> {
            result.callback(null);
            return v;
        });
        return result;
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        host.udpPorts.remove(port, this);
        try {
            protocol.stopProtocol();
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + protocol.getClass().getName() + " (stopProtocol):");
        }
        if (stopped == null) {
            stopped = new Deferred<>();
        }
        if (!stopped.isCalled()) {
            stopped.callback(null);
        }
    }

    @Override
    public Address getHost() {
        return bound;
    }
}
