package dev.twine.reactor.netty;

import dev.twine.defer.Deferred;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.defer.Failure;
import java.nio.channels.SelectableChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A listening TCP port: a Netty server channel registered and bound on the reactor's loop, within
 * {@code listenTCP}, so that {@link #getHost()} names the port at once. Each accepted channel gets a
 * protocol from the factory before it is registered; a factory that returns {@code null} has the
 * channel closed at once.
 */
final class TcpPort implements ListeningPort, ReadDescriptor {
    private final NettyReactor reactor;
    private final ProtocolFactory factory;
    private final Channels.Server channel;
    private boolean unwatched;
    private final Address host;
    /** The server side of TLS for every accepted connection (listenSSL), or null for plain TCP. */
    private final SSLContext tlsContext;
    private Deferred<Void> stopped;
    private boolean closing;
    private boolean hasStopped;

    private TcpPort(NettyReactor reactor, ProtocolFactory factory, Channels.Server channel, Address host,
            SSLContext tlsContext) {
        this.reactor = reactor;
        this.factory = factory;
        this.channel = channel;
        this.host = host;
        this.tlsContext = tlsContext;
    }

    /** listenTCP, or listenSSL when {@code tlsContext} is given. */
    static TcpPort listen(NettyReactor reactor, int port, ProtocolFactory factory, int backlog, String iface,
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
        Channels.Server channel = new Channels.Server(address.getAddress() instanceof java.net.Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        channel.config().setBacklog(backlog);
        channel.config().setOption(ChannelOption.SO_REUSEADDR, true);
        Throwable failure = reactor.loop.register(channel).cause();
        ChannelFuture bound = failure == null ? channel.bind(address) : null;
        if (failure == null) {
            failure = bound.cause();
        }
        if (failure != null || bound == null || !bound.isDone()) {
            channel.unsafe().closeForcibly();
            throw new CannotListenException(iface, port, failure);
        }
        TcpPort listening = new TcpPort(reactor, factory, channel, Addresses.of(channel.localAddress(), "TCP"), tlsContext);
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
        return channel.jdkChannel();
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
            TcpConnection connection = new TcpConnection(reactor, (Channels.Socket) child, protocol, null, "server");
            connection.attach(tlsContext == null ? null : new TcpConnection.TlsStart(tlsContext, false, null));
            reactor.loop.register(child);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // An accept that failed (too many open files, say): the port goes on listening.
            reactor.logError(cause, "Accepting a connection on " + host + " failed:");
        }
    }
}
