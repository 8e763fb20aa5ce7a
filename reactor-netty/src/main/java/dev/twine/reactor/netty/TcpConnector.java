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
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * An outgoing TCP connection attempt and then its connection: Twisted's {@code Connector}. The
 * factory hears {@code doStart} and {@code startedConnecting} within the connect call and every
 * outcome later, from the loop. A host name is resolved on the reactor's pool; the timeout covers
 * resolving and connecting (Netty's own connect timeout is off). After the attempt fails or the
 * connection is lost, the factory hears {@code doStop} unless its callback connected again.
 */
final class TcpConnector implements Connector {
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

    private State state = State.DISCONNECTED;
    private boolean factoryStarted;
    private int attempt;
    private Channels.Socket channel;
    private DelayedCall timeoutCall;
    private TcpConnection connection;

    private TcpConnector(NettyReactor reactor, String host, int port, ClientFactory factory, Duration timeout,
            InetSocketAddress bindAddress, SSLContext tlsContext) {
        this.reactor = reactor;
        this.tlsContext = tlsContext;
        this.factory = Objects.requireNonNull(factory, "factory");
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.bindAddress = bindAddress;
        this.destination = host.contains(":") ? new IPv6Address("TCP", host, port) : new IPv4Address("TCP", host, port);
    }

    /** connectTCP, or connectSSL when {@code tlsContext} is given: TLS's client, checking the certificate against {@code host}. */
    static TcpConnector start(NettyReactor reactor, String host, int port, ClientFactory factory, Duration timeout,
            InetSocketAddress bindAddress, SSLContext tlsContext) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        TcpConnector connector = new TcpConnector(reactor, host, port, factory, timeout, bindAddress, tlsContext);
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
        InetAddress literal = Addresses.literal(host);
        if (literal != null) {
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

    private void open(InetSocketAddress address, int thisAttempt) {
        if (!isCurrent(thisAttempt)) {
            return; // stopped or timed out meanwhile
        }
        Channels.Socket opened = new Channels.Socket();
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
        // The connection's handler goes in first: Netty fires channelActive right after the promise.
        connection = null;
        opened.connect(address).addListener(done -> {
            if (!isCurrent(thisAttempt) || channel != opened) {
                return;
            }
            if (!done.isSuccess()) {
                failed(mapConnectError(done.cause()));
            }
        });
        opened.pipeline().addFirst(new ConnectWatcher(this, opened, thisAttempt));
    }

    /** Called when the channel has connected, before Netty tells the pipeline it is active. */
    boolean connected(Channels.Socket opened, int thisAttempt) {
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
        connection = new TcpConnection(reactor, opened, protocol, this, "client");
        connection.attach(tlsContext == null ? null : new TcpConnection.TlsStart(tlsContext, true, host));
        return true;
    }

    private void failed(Throwable reason) {
        cancelTimeout();
        reactor.connecting.remove(this);
        state = State.DISCONNECTED;
        if (channel != null) {
            Channels.Socket abandoned = channel;
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
        private final TcpConnector connector;
        private final Channels.Socket opened;
        private final int attempt;

        ConnectWatcher(TcpConnector connector, Channels.Socket opened, int attempt) {
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
