package dev.twine.reactor.netty;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReadDescriptor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A listening TCP port (optionally TLS) or Unix domain socket: a Netty server channel registered
 * and bound on the reactor's loop, within {@code listenTCP}, {@code listenSSL} or {@code
 * listenUNIX}, so that {@link #getHost()} names the port at once. Closing a Unix port's channel
 * removes its socket file ({@link UnixChannels.Server}). Each accepted channel gets a
 * protocol from the factory before it is registered; a factory that returns {@code null} has the
 * channel closed at once.
 */
final class StreamPort implements ListeningPort, ReadDescriptor {
    private final NettyReactor reactor;
    private final ProtocolFactory factory;
    private final ServerChannel channel;
    private boolean unwatched;
    private final Address host;
    /** The server side of TLS for every accepted connection (listenSSL), or null for plain TCP. */
    private final SSLContext tlsContext;
    private Deferred<Void> stopped;
    private boolean closing;
    private boolean hasStopped;

    private StreamPort(NettyReactor reactor, ProtocolFactory factory, ServerChannel channel, Address host,
            SSLContext tlsContext) {
        this.reactor = reactor;
        this.factory = factory;
        this.channel = channel;
        this.host = host;
        this.tlsContext = tlsContext;
    }

    /** listenTCP, or listenSSL when {@code tlsContext} is given. */
    static StreamPort listen(NettyReactor reactor, int port, ProtocolFactory factory, int backlog, String iface,
            SSLContext tlsContext) {
        Objects.requireNonNull(factory, "factory");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(iface == null || iface.isEmpty() ? InetAddress.getByName("0.0.0.0")
                    : InetAddress.getByName(iface), port);
        } catch (UnknownHostException e) {
            throw new CannotListenException(iface, port, e);
        }
        // Netty's default is an IPv6 socket, which would listen on :: (both families) where Twisted's "" and
        // 0.0.0.0 mean IPv4 only.
        NioServerSocketChannel channel = new NioServerSocketChannel(SelectorProvider.provider(),
                address.getAddress() instanceof java.net.Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        channel.config().setBacklog(backlog);
        channel.config().setOption(ChannelOption.SO_REUSEADDR, true);
        Throwable failure = bind(reactor, channel, address);
        if (failure != null) {
            throw new CannotListenException(iface, port, failure);
        }
        return start(reactor, factory, channel, tlsContext);
    }

    /** listenUNIX: a socket file at {@code path}, which must not exist yet. */
    static StreamPort listenUnix(NettyReactor reactor, Path path, ProtocolFactory factory, int backlog) {
        Objects.requireNonNull(path, "address");
        Objects.requireNonNull(factory, "factory");
        UnixChannels.Server channel = new UnixChannels.Server(backlog);
        Throwable failure = bind(reactor, channel, UnixDomainSocketAddress.of(path));
        if (failure != null) {
            throw new CannotListenException(path.toString(), 0, failure);
        }
        return start(reactor, factory, channel, null);
    }

    /** Registers and binds {@code channel} within this call; returns why it could not, having closed it, or null. */
    private static Throwable bind(NettyReactor reactor, ServerChannel channel, SocketAddress address) {
        Throwable failure = reactor.loop.register(channel).cause();
        ChannelFuture bound = failure == null ? channel.bind(address) : null;
        if (failure == null) {
            failure = bound.cause();
        }
        if (failure != null || bound == null || !bound.isDone()) {
            channel.unsafe().closeForcibly();
            return failure != null ? failure : new IllegalStateException("the bind did not complete within the call");
        }
        return null;
    }

    private static StreamPort start(NettyReactor reactor, ProtocolFactory factory, ServerChannel channel,
            SSLContext tlsContext) {
        StreamPort listening = new StreamPort(reactor, factory, channel, Addresses.of(channel.localAddress(), "TCP"), tlsContext);
        channel.pipeline().addLast(listening.new Acceptor());
        reactor.ports.add(listening);
        try {
            factory.doStart();
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (doStart):");
        }
        return listening;
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
        closing = true;
        reactor.ports.remove(this);
        channel.close().addListener(closed -> reactor.runAfterNextSelect(() -> reactor.runAfterNextSelect(this::stoppedListening)));
        return stopped;
    }

    private void stoppedListening() {
        try {
            factory.doStop();
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (doStop):");
        }
        hasStopped = true;
        stopped.callback(null);
    }

    @Override
    public Address getHost() {
        return host;
    }

    // As a descriptor (ReactorDescriptors lists the reactor's own ports): the reactor accepts for it.

    @Override
    public Throwable doRead() {
        return null;
    }

    @Override
    public SelectableChannel channel() {
        return Channels.jdk(channel);
    }

    /** Told by removeReader or removeAll: stop accepting until added again. */
    void watched(boolean watch) {
        unwatched = !watch;
        channel.config().setAutoRead(watch);
    }

    /** Whether it is listed among the readers. */
    boolean isWatched() {
        return !unwatched && !closing;
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
        return "<" + factory.getClass().getName() + " on " + host + ">";
    }

    /** Hands each accepted channel its protocol, then registers it on the loop. */
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Channel child = (Channel) message;
            if (closing) {
                child.unsafe().closeForcibly();
                return;
            }
            Address peer = Addresses.of(child.remoteAddress(), "TCP");
            Protocol protocol;
            try {
                protocol = factory.buildProtocol(peer);
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (buildProtocol):");
                protocol = null;
            }
            if (protocol == null) {
                child.unsafe().closeForcibly();
                return;
            }
            StreamConnection connection = new StreamConnection(reactor, (DuplexChannel) child, protocol, null, "server");
            connection.attach(tlsContext == null ? null : new StreamConnection.TlsStart(tlsContext, false, null));
            reactor.loop.register(child);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // An accept that failed (too many open files, say): the port goes on listening.
            reactor.logError(cause, "Accepting a connection on " + host + " failed:");
        }
    }
}
