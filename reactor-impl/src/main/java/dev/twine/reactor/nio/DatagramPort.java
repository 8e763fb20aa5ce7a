package dev.twine.reactor.nio;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.ReadDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A bound UDP socket and its protocol. */
final class DatagramPort implements DatagramTransport, ReadDescriptor {
    private static final int DATAGRAMS_PER_ROUND = 64;

    private final NioReactor reactor;
    private final DatagramChannel channel;
    private final DatagramProtocol protocol;
    private final int maxPacketSize;
    private final Address host;
    private InetSocketAddress connectedTo;
    private boolean closed;
    private boolean released;
    /** Whether startProtocol is running: a stopListening from there calls stopProtocol only afterwards. */
    private boolean starting;
    private final List<Deferred<Void>> stopWaiters = new ArrayList<>();

    private DatagramPort(NioReactor reactor, DatagramChannel channel, DatagramProtocol protocol, int maxPacketSize) throws IOException {
        this.reactor = reactor;
        this.channel = channel;
        this.protocol = protocol;
        this.maxPacketSize = maxPacketSize;
        this.host = Addresses.of(channel.getLocalAddress(), "UDP");
    }

    static DatagramPort listen(NioReactor reactor, int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (maxPacketSize < 1) {
            throw new IllegalArgumentException("maxPacketSize must be positive, got " + maxPacketSize);
        }
        InetAddress address;
        if (iface == null || iface.isEmpty()) {
            address = null;
        } else {
            address = Addresses.literal(iface);
            if (address == null) {
                throw new IllegalArgumentException("listenUDP needs an IP address as the interface, not '" + iface + "'");
            }
        }
        DatagramChannel channel = null;
        try {
            boolean v6 = address instanceof Inet6Address;
            channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(address == null ? InetAddress.getByAddress(new byte[4]) : address, port));
            channel.configureBlocking(false);
            DatagramPort udp = new DatagramPort(reactor, channel, protocol, maxPacketSize);
            reactor.addReader(udp);
            udp.starting = true;
            try {
                protocol.makeConnection(udp);
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + udp.logPrefix() + " (startProtocol):");
            } finally {
                udp.starting = false;
            }
            return udp;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw NioReactor.cannotListen(iface, port, e);
        }
    }

    @Override
    public Throwable doRead() {
        ByteBuffer buffer = reactor.readBuffer();
        for (int i = 0; i < DATAGRAMS_PER_ROUND && !closed; i++) {
            buffer.clear();
            buffer.limit(Math.min(buffer.capacity(), maxPacketSize));
            SocketAddress from;
            try {
                if (connectedTo != null) {
                    int n = channel.read(buffer);
                    if (n <= 0) {
                        return null;
                    }
                    from = connectedTo;
                } else {
                    from = channel.receive(buffer);
                    if (from == null) {
                        return null;
                    }
                }
            } catch (PortUnreachableException e) {
                refused();
                continue;
            } catch (IOException e) {
                reactor.logError(e, "Reading from " + logPrefix() + " failed:");
                return null;
            }
            buffer.flip();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            try {
                protocol.datagramReceived(data, Addresses.of(from, "UDP"));
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (datagramReceived):");
            }
        }
        return null;
    }

    private void refused() {
        try {
            protocol.connectionRefused();
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + logPrefix() + " (connectionRefused):");
        }
    }

    @Override
    public void write(byte[] datagram, String toHost, int toPort) {
        Objects.requireNonNull(datagram, "datagram");
        InetAddress address = Addresses.literal(Objects.requireNonNull(toHost, "host"));
        if (address == null) {
            throw new IllegalArgumentException("UDP writes need an IP address, not '" + toHost + "'");
        }
        InetSocketAddress to = new InetSocketAddress(address, toPort);
        if (connectedTo != null && !connectedTo.equals(to)) {
            throw new IllegalStateException("this UDP port is connected to " + connectedTo + "; it cannot send to " + to);
        }
        send(datagram, to);
    }

    @Override
    public void write(byte[] datagram) {
        if (connectedTo == null) {
            throw new IllegalStateException("write(datagram) needs a connected UDP port; call connect(host, port) first");
        }
        send(datagram, connectedTo);
    }

    private void send(byte[] datagram, InetSocketAddress to) {
        if (closed) {
            return;
        }
        try {
            if (connectedTo != null) {
                channel.write(ByteBuffer.wrap(datagram));
            } else {
                channel.send(ByteBuffer.wrap(datagram), to);
            }
            // A datagram the socket cannot take now is dropped, as UDP allows.
        } catch (PortUnreachableException e) {
            refused();
        } catch (IOException e) {
            throw new UncheckedIOException("sending a " + datagram.length + "-byte datagram to " + to + " failed", e);
        }
    }

    @Override
    public void connect(String toHost, int toPort) {
        if (connectedTo != null) {
            throw new IllegalStateException("this UDP port is already connected to " + connectedTo);
        }
        InetAddress address = Addresses.literal(Objects.requireNonNull(toHost, "host"));
        if (address == null) {
            throw new IllegalArgumentException("UDP connect needs an IP address, not '" + toHost + "'");
        }
        InetSocketAddress to = new InetSocketAddress(address, toPort);
        try {
            channel.connect(to);
        } catch (IOException e) {
            throw new UncheckedIOException("connecting this UDP port to " + to + " failed", e);
        }
        connectedTo = to;
    }

    @Override
    public void setBroadcastAllowed(boolean enabled) {
        try {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, enabled);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean getBroadcastAllowed() {
        try {
            return channel.getOption(StandardSocketOptions.SO_BROADCAST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the socket; the Deferred fires once the selector has released it (next iteration). */
    @Override
    public Deferred<Void> stopListening() {
        if (released) {
            return Deferred.succeed(null);
        }
        Deferred<Void> stoppedDeferred = new Deferred<>();
        stopWaiters.add(stoppedDeferred);
        if (!closed) {
            reactor.removeReader(this);
            close();
        }
        return stoppedDeferred;
    }

    @Override
    public void connectionLost(Failure reason) {
        close();
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            reactor.logError(e, "Closing " + logPrefix() + " failed:");
        }
        if (starting) {
            reactor.runSoon(this::stopProtocol); // not inside startProtocol (Twisted's test_stopProtocolScheduling)
        } else {
            stopProtocol();
        }
        reactor.runAfterNextSelect(() -> {
            released = true;
            List<Deferred<Void>> waiters = List.copyOf(stopWaiters);
            stopWaiters.clear();
            waiters.forEach(waiter -> waiter.callback(null));
        });
    }

    private void stopProtocol() {
        try {
            protocol.stopProtocol();
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + logPrefix() + " (stopProtocol):");
        }
    }

    @Override
    public Address getHost() {
        return host;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public String logPrefix() {
        return protocol.getClass().getName() + " (UDP " + host + ")";
    }

    @Override
    public String toString() {
        return "<" + logPrefix() + ">";
    }
}
