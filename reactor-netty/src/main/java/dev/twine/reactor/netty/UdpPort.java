package dev.twine.reactor.netty;

import dev.twine.defer.Deferred;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.defer.Failure;
import dev.twine.reactor.Address;
import dev.twine.reactor.ReadDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * A UDP port: a Netty datagram channel, registered and bound within {@code listenUDP}. In connected
 * mode it sends {@code write(datagram)} to its peer, refuses other addresses, and tells the protocol
 * {@code connectionRefused} when the peer's host answers that nothing listens there.
 */
final class UdpPort implements DatagramTransport, ReadDescriptor {
    private final NettyReactor reactor;
    private final DatagramProtocol protocol;
    private final NioDatagramChannel channel;
    /** The JDK channel under {@link #channel} (Netty's is final and keeps it to itself). */
    private final DatagramChannel jdkChannel;
    private final Address host;
    private InetSocketAddress peer;
    private Deferred<Void> stopped;
    private boolean hasStopped;
    private boolean unwatched;

    private UdpPort(NettyReactor reactor, DatagramProtocol protocol, NioDatagramChannel channel, DatagramChannel jdkChannel,
            Address host) {
        this.reactor = reactor;
        this.jdkChannel = jdkChannel;
        this.protocol = protocol;
        this.channel = channel;
        this.host = host;
    }

    static UdpPort listen(NettyReactor reactor, int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        InetAddress address = iface == null || iface.isEmpty() ? null : Addresses.literal(iface);
        if (address == null && iface != null && !iface.isEmpty()) {
            throw new IllegalArgumentException("listenUDP needs an IP address for the interface, got '" + iface + "'");
        }
        DatagramChannel jdkChannel;
        try {
            // An IPv4 socket unless the interface is IPv6: the JDK's default socket is dual-stack, so
            // "" would listen on :: where Twisted's "" means every IPv4 interface (UDP-36).
            jdkChannel = DatagramChannel.open(address instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        } catch (java.io.IOException e) {
            throw new dev.twine.reactor.CannotListenException(iface, port, e);
        }
        NioDatagramChannel channel = new NioDatagramChannel(jdkChannel);
        channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(maxPacketSize));
        Throwable failure = reactor.loop.register(channel).cause();
        ChannelFuture bound = failure == null
                ? channel.bind(address == null ? new InetSocketAddress("0.0.0.0", port) : new InetSocketAddress(address, port))
                : null;
        if (failure == null) {
            failure = bound.cause();
        }
        if (failure != null) {
            channel.unsafe().closeForcibly();
            throw new dev.twine.reactor.CannotListenException(iface, port, failure);
        }
        UdpPort udp = new UdpPort(reactor, protocol, channel, jdkChannel, Addresses.of(channel.localAddress(), "UDP"));
        channel.pipeline().addLast(udp.new Receiver());
        reactor.udpPorts.add(udp);
        try {
            protocol.makeConnection(udp);
        } catch (Throwable e) {
            // The port is bound and registered: it stays usable, and the protocol's error is logged (UDP-37).
            reactor.logError(e, "Unhandled error in " + protocol.getClass().getName() + " (startProtocol):");
        }
        return udp;
    }

    @Override
    public void write(byte[] datagram, String toHost, int toPort) {
        InetAddress to = Addresses.literal(toHost);
        if (to == null) {
            throw new IllegalArgumentException("write needs an IP address, got '" + toHost + "'");
        }
        InetAddress bound = channel.localAddress() == null ? null : channel.localAddress().getAddress();
        if (bound instanceof Inet4Address && to instanceof Inet6Address) {
            // The contract: an IPv4 socket cannot send to an IPv6 address, so say so at the call, not later in a log.
            throw new IllegalArgumentException("this port is bound to IPv4 (" + host + "); it cannot write to the IPv6 "
                    + "address " + toHost);
        }
        InetSocketAddress target = new InetSocketAddress(to, toPort);
        if (peer != null && !peer.equals(target)) {
            throw new IllegalStateException("this port is connected to " + peer + "; it cannot write to " + target);
        }
        if (stopped != null) {
            return;
        }
        ByteBuf bytes = channel.alloc().directBuffer(datagram.length).writeBytes(datagram);
        channel.writeAndFlush(peer != null ? bytes : new DatagramPacket(bytes, target), channel.voidPromise());
    }

    @Override
    public void write(byte[] datagram) {
        if (peer == null) {
            throw new IllegalStateException("write(datagram) needs a connected port; use write(datagram, host, port)");
        }
        if (stopped != null) {
            return;
        }
        channel.writeAndFlush(channel.alloc().directBuffer(datagram.length).writeBytes(datagram), channel.voidPromise());
    }

    @Override
    public void connect(String toHost, int toPort) {
        InetAddress to = Addresses.literal(toHost);
        if (to == null) {
            throw new IllegalArgumentException("connect needs an IP address, got '" + toHost + "'");
        }
        if (peer != null) {
            throw new IllegalStateException("this port is already connected to " + peer);
        }
        InetSocketAddress target = new InetSocketAddress(to, toPort);
        Throwable failure = channel.connect(target).cause();
        if (failure != null) {
            throw new IllegalStateException("could not connect to " + target + ": " + failure, failure);
        }
        peer = target;
    }

    @Override
    public void setBroadcastAllowed(boolean enabled) {
        channel.config().setOption(ChannelOption.SO_BROADCAST, enabled);
    }

    @Override
    public boolean getBroadcastAllowed() {
        return channel.config().getOption(ChannelOption.SO_BROADCAST);
    }

    @Override
    public Deferred<Void> stopListening() {
        if (hasStopped) {
            return Deferred.succeed(null); // already closed: nothing to wait for
        }
        if (stopped != null) {
            Deferred<Void> again = new Deferred<>();
            stopped.addBoth((value, failure) -> {
                again.callback(null);
                return failure == null ? value : failure;
            });
            return again;
        }
        stopped = new Deferred<>();
        reactor.udpPorts.remove(this);
        channel.close().addListener(closed -> reactor.runAfterNextSelect(() -> reactor.runAfterNextSelect(() -> {
            try {
                protocol.stopProtocol();
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + protocol.getClass().getName() + " (stopProtocol):");
            }
            hasStopped = true;
            stopped.callback(null);
        })));
        return stopped;
    }

    @Override
    public Address getHost() {
        return host;
    }

    // As a descriptor (ReactorDescriptors lists the reactor's own ports): the reactor reads for it.

    @Override
    public Throwable doRead() {
        return null;
    }

    @Override
    public SelectableChannel channel() {
        return jdkChannel;
    }

    /** Told by removeReader or removeAll: stop reading until added again. */
    void watched(boolean watch) {
        unwatched = !watch;
        channel.config().setAutoRead(watch);
    }

    /** Whether it is listed among the readers. */
    boolean isWatched() {
        return !unwatched && stopped == null;
    }

    @Override
    public void connectionLost(Failure reason) {
        stopListening();
    }

    @Override
    public String logPrefix() {
        return toString();
    }

    @Override
    public String toString() {
        return "<" + protocol.getClass().getName() + " on " + host + ">";
    }

    /** Hands each datagram to the protocol. */
    private final class Receiver extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf content;
            InetSocketAddress sender;
            if (message instanceof DatagramPacket packet) {
                content = packet.content();
                sender = packet.sender();
            } else {
                content = (ByteBuf) message;
                sender = peer;
            }
            try {
                byte[] data = new byte[content.readableBytes()];
                content.readBytes(data);
                protocol.datagramReceived(data, Addresses.of(sender, "UDP"));
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + protocol.getClass().getName() + " (datagramReceived):");
            } finally {
                content.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof PortUnreachableException) {
                try {
                    protocol.connectionRefused();
                } catch (Throwable e) {
                    reactor.logError(e, "Unhandled error in " + protocol.getClass().getName() + " (connectionRefused):");
                }
                return;
            }
            reactor.logError(cause, "An error on " + UdpPort.this + ":");
        }
    }
}
