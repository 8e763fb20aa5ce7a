package dev.twine.reactor.netty;

import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ConnectTimeoutException;
import dev.twine.protocol.ConnectionFailedException;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.DnsLookupException;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.UnixAddress;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * An outgoing TCP (optionally TLS) or Unix domain socket connection attempt and then its
 * connection: Twisted's {@code Connector}. The
 * factory hears {@code doStart} and {@code startedConnecting} within the connect call and every
 * outcome later, from the loop. A host name is resolved on the reactor's pool; the timeout covers
 * resolving and connecting (Netty's own connect timeout is off). After the attempt fails or the
 * connection is lost, the factory hears {@code doStop} unless its callback connected again.
 */
final class StreamConnector implements Connector {
    private enum State { CONNECTING, CONNECTED, DISCONNECTED }

    private final NettyReactor reactor;
    private final ClientFactory factory;
    private final String host;
    private final int port;
    private final Duration timeout;
    private final InetSocketAddress bindAddress;
    private final Address destination;
    /** The client side of TLS for the connection (connectSSL), or null for plain TCP. */
    private final SSLContext tlsContext;
    /** The socket file of connectUNIX, or null for TCP. */
    private final Path unixPath;

    private State state = State.DISCONNECTED;
    private boolean factoryStarted;
    private int attempt;
    private DuplexChannel channel;
    private DelayedCall timeoutCall;
    private StreamConnection connection;

    private StreamConnector(NettyReactor reactor, String host, int port, ClientFactory factory, Duration timeout,
            InetSocketAddress bindAddress, SSLContext tlsContext, Path unixPath) {
        this.reactor = reactor;
        this.tlsContext = tlsContext;
        this.unixPath = unixPath;
        this.factory = Objects.requireNonNull(factory, "factory");
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.bindAddress = bindAddress;
        this.destination = unixPath != null ? new UnixAddress(unixPath)
                : host.contains(":") ? new IPv6Address("TCP", host, port) : new IPv4Address("TCP", host, port);
    }

    /** connectTCP, or connectSSL when {@code tlsContext} is given: TLS's client, checking the certificate against {@code host}. */
    static StreamConnector start(NettyReactor reactor, String host, int port, ClientFactory factory, Duration timeout,
            InetSocketAddress bindAddress, SSLContext tlsContext) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        StreamConnector connector = new StreamConnector(reactor, host, port, factory, timeout, bindAddress, tlsContext, null);
        connector.connect();
        return connector;
    }

    /** connectUNIX: to the socket file {@code path}. */
    static StreamConnector startUnix(NettyReactor reactor, Path path, ClientFactory factory, Duration timeout) {
        Objects.requireNonNull(path, "address");
        StreamConnector connector = new StreamConnector(reactor, path.toString(), 0, factory, timeout, null, null, path);
        connector.connect();
        return connector;
    }

    @Override
    public void connect() {
        if (state != State.DISCONNECTED) {
            throw new IllegalStateException("can only connect when disconnected; " + destination + " is " + state);
        }
        state = State.CONNECTING;
        reactor.connecting.add(this);
        int thisAttempt = ++attempt;
        if (!factoryStarted) {
            factoryStarted = true;
            factory.doStart();
        }
        if (timeout != null) {
            timeoutCall = reactor.callLater(timeout, () -> {
                timeoutCall = null;
                if (isCurrent(thisAttempt)) {
                    failed(new ConnectTimeoutException(timeout));
                }
            });
        }
        InetAddress literal = unixPath != null ? null : Addresses.literal(host);
        if (unixPath != null) {
            reactor.runAfterNextSelect(() -> open(UnixDomainSocketAddress.of(unixPath), thisAttempt)); // no lookup
        } else if (literal != null) {
            reactor.runAfterNextSelect(() -> open(new InetSocketAddress(literal, port), thisAttempt));
        } else {
            reactor.deferToThread(() -> InetAddress.getByName(host)).addBoth((address, failure) -> {
                if (!isCurrent(thisAttempt)) {
                    return null;
                }
                if (failure != null) {
                    failed(new DnsLookupException(host, failure.value()));
                } else {
                    open(new InetSocketAddress(address, port), thisAttempt);
                }
                return null;
            });
        }
        factory.startedConnecting(this);
    }

    private boolean isCurrent(int thisAttempt) {
        return state == State.CONNECTING && attempt == thisAttempt;
    }

    private void open(SocketAddress address, int thisAttempt) {
        if (!isCurrent(thisAttempt)) {
            return; // stopped or timed out meanwhile
        }
        DuplexChannel opened = unixPath != null ? new UnixChannels.Socket() : new NioSocketChannel();
        channel = opened;
        opened.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
        Throwable registration = reactor.loop.register(opened).cause();
        if (registration != null) {
            failed(new ConnectionFailedException("could not open a socket: " + registration, registration));
            return;
        }
        ChannelFuture bound = bindAddress != null ? opened.bind(bindAddress) : null;
        if (bound != null && bound.cause() != null) {
            failed(new ConnectionFailedException("could not bind to " + bindAddress + ": " + bound.cause(), bound.cause()));
            return;
        }
        // The watcher goes in before the connect: a Unix domain socket connects within the call, and Netty fires
        // channelActive right after the promise.
        connection = null;
        opened.pipeline().addFirst(new ConnectWatcher(this, opened, thisAttempt));
        opened.connect(address).addListener(done -> {
            if (!isCurrent(thisAttempt) || channel != opened) {
                return;
            }
            if (!done.isSuccess()) {
                failed(mapConnectError(done.cause()));
            }
        });
    }

    /** Called when the channel has connected, before Netty tells the pipeline it is active. */
    boolean connected(DuplexChannel opened, int thisAttempt) {
        if (!isCurrent(thisAttempt) || channel != opened) {
            return false;
        }
        cancelTimeout();
        Address peer = Addresses.of(opened.remoteAddress(), "TCP");
        Protocol protocol;
        try {
            protocol = factory.buildProtocol(peer);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (buildProtocol):");
            failed(new ConnectionFailedException("buildProtocol failed: " + e, e));
            return false;
        }
        if (protocol == null) {
            failed(new ConnectionFailedException("the factory refused the connection (buildProtocol returned null)"));
            return false;
        }
        state = State.CONNECTED;
        reactor.connecting.remove(this);
        connection = new StreamConnection(reactor, opened, protocol, this, "client");
        connection.attach(tlsContext == null ? null : new StreamConnection.TlsStart(tlsContext, true, host));
        return true;
    }

    private void failed(Throwable reason) {
        cancelTimeout();
        reactor.connecting.remove(this);
        state = State.DISCONNECTED;
        if (channel != null) {
            DuplexChannel abandoned = channel;
            channel = null;
            abandoned.close(); // its connect listener now sees an attempt that is over
        }
        try {
            factory.clientConnectionFailed(this, new Failure(reason));
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (clientConnectionFailed):");
        }
        stopFactoryIfIdle();
    }

    /** The connection this attempt made is closed (its protocol has heard connectionLost). */
    void connectionClosed(Failure reason) {
        connection = null;
        channel = null;
        state = State.DISCONNECTED;
        try {
            factory.clientConnectionLost(this, reason);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (clientConnectionLost):");
        }
        stopFactoryIfIdle();
    }

    /** The reactor is shutting down while this attempt is under way. */
    void lostAtShutdown(Failure reason) {
        if (state == State.CONNECTING) {
            failed(reason.value());
        }
    }

    private void stopFactoryIfIdle() {
        if (state == State.DISCONNECTED && factoryStarted) {
            factoryStarted = false;
            try {
                factory.doStop();
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (doStop):");
            }
        }
    }

    private void cancelTimeout() {
        if (timeoutCall != null) {
            if (timeoutCall.isActive()) {
                timeoutCall.cancel();
            }
            timeoutCall = null;
        }
    }

    private Throwable mapConnectError(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ConnectException && message.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
            return new ConnectionRefusedException(e);
        }
        if (unixPath != null && message.contains("No such file")) {
            return new ConnectionRefusedException(e); // Twisted's connectUNIX to a missing socket: ECONNREFUSED as well
        }
        return new ConnectionFailedException("An error occurred while connecting to " + destination + ": " + message, e);
    }

    @Override
    public void stopConnecting() {
        if (state != State.CONNECTING) {
            throw new IllegalStateException("we're not trying to connect (" + destination + " is " + state + ")");
        }
        failed(new ConnectCancelledException());
    }

    @Override
    public void disconnect() {
        if (state == State.CONNECTING) {
            stopConnecting();
        } else if (state == State.CONNECTED && connection != null) {
            connection.loseConnection();
        }
    }

    @Override
    public Address getDestination() {
        return destination;
    }

    @Override
    public String toString() {
        return "<Connector to " + destination + " " + state + ">";
    }

    /** Sees the connect complete, and builds the protocol just before the pipeline hears channelActive. */
    private static final class ConnectWatcher extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final StreamConnector connector;
        private final DuplexChannel opened;
        private final int attempt;

        ConnectWatcher(StreamConnector connector, DuplexChannel opened, int attempt) {
            this.connector = connector;
            this.opened = opened;
            this.attempt = attempt;
        }

        @Override
        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
            // The connection's handler is added behind this one first, so that the event fired on
            // from here, once this handler is out of the pipeline, still reaches it.
            boolean connected = connector.connected(opened, attempt);
            ctx.pipeline().remove(this);
            if (connected) {
                ctx.fireChannelActive();
            } else {
                opened.close();
            }
        }
    }
}
