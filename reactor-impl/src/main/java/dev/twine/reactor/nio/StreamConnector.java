package dev.twine.reactor.nio;

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
import dev.twine.reactor.UnixAddress;
import dev.twine.reactor.WriteDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * An outgoing connection attempt and then its connection: Twisted's {@code Connector}. The
 * factory hears {@code doStart} and {@code startedConnecting} inside the connect call, and every
 * outcome later, from the loop. A name is resolved on the reactor's pool; the timeout covers
 * resolution and connecting. After the attempt fails or the connection is lost, the factory hears
 * {@code doStop} unless its callback started a new attempt with {@link #connect()}.
 */
final class StreamConnector implements Connector, WriteDescriptor {
    private enum State { CONNECTING, CONNECTED, DISCONNECTED }

    private final NioReactor reactor;
    private final ClientFactory factory;
    private final String host;
    private final int port;
    private final Path unixPath;
    private final Duration timeout;
    private final InetSocketAddress bindAddress;
    private final SSLContext tls;
    private final Address destination;

    private State state = State.DISCONNECTED;
    private boolean factoryStarted;
    private int attempt;
    private SocketChannel channel;
    private DelayedCall timeoutCall;
    private StreamConnection connection;

    private StreamConnector(NioReactor reactor, ClientFactory factory, String host, int port, Path unixPath,
            Duration timeout, InetSocketAddress bindAddress, SSLContext tls) {
        this.reactor = reactor;
        this.factory = Objects.requireNonNull(factory, "factory");
        this.host = host;
        this.port = port;
        this.unixPath = unixPath;
        this.timeout = timeout;
        this.bindAddress = bindAddress;
        this.tls = tls;
        this.destination = unixPath != null ? new UnixAddress(unixPath) : new IPv4Address("TCP", host, port);
    }

    static StreamConnector tcp(NioReactor reactor, String host, int port, ClientFactory factory, Duration timeout,
            InetSocketAddress bindAddress, SSLContext tls) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        StreamConnector connector = new StreamConnector(reactor, factory, host, port, null, timeout, bindAddress, tls);
        connector.connect();
        return connector;
    }

    static StreamConnector unix(NioReactor reactor, Path path, ClientFactory factory, Duration timeout) {
        Objects.requireNonNull(path, "address");
        StreamConnector connector = new StreamConnector(reactor, factory, null, 0, path, timeout, null, null);
        connector.connect();
        return connector;
    }

    @Override
    public void connect() {
        if (state != State.DISCONNECTED) {
            throw new IllegalStateException("can only connect when disconnected; " + destination + " is " + state);
        }
        state = State.CONNECTING;
        int thisAttempt = ++attempt;
        if (!factoryStarted) {
            factoryStarted = true;
            factory.doStart();
        }
        if (timeout != null) {
            timeoutCall = reactor.callLater(timeout, () -> {
                timeoutCall = null;
                if (state == State.CONNECTING && attempt == thisAttempt) {
                    failed(new ConnectTimeoutException(timeout));
                }
            });
        }
        if (unixPath != null) {
            reactor.runSoon(() -> open(UnixDomainSocketAddress.of(unixPath), thisAttempt));
        } else {
            InetAddress literal = Addresses.literal(host);
            if (literal != null) {
                reactor.runSoon(() -> open(new InetSocketAddress(literal, port), thisAttempt));
            } else {
                reactor.deferResolution(host, address -> open(new InetSocketAddress(address, port), thisAttempt),
                        error -> {
                            if (state == State.CONNECTING && attempt == thisAttempt) {
                                failed(new DnsLookupException(host, error));
                            }
                        });
            }
        }
        factory.startedConnecting(this);
    }

    private void open(SocketAddress address, int thisAttempt) {
        if (state != State.CONNECTING || attempt != thisAttempt) {
            return; // stopped or timed out meanwhile
        }
        try {
            if (address instanceof UnixDomainSocketAddress) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                InetAddress ip = ((InetSocketAddress) address).getAddress();
                channel = SocketChannel.open(ip instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            }
            channel.configureBlocking(false);
            if (bindAddress != null) {
                channel.bind(bindAddress);
            }
            if (channel.connect(address)) {
                connected();
            } else {
                reactor.addWriter(this);
            }
        } catch (IOException e) {
            failed(mapConnectError(e));
        }
    }

    /** The socket is writable: the attempt has finished, one way or the other. */
    @Override
    public Throwable doWrite() {
        reactor.removeWriter(this);
        if (state != State.CONNECTING) {
            return null;
        }
        try {
            if (channel.finishConnect()) {
                connected();
            } else {
                reactor.addWriter(this);
            }
        } catch (IOException e) {
            failed(mapConnectError(e));
        }
        return null;
    }

    private void connected() {
        cancelTimeout();
        Protocol protocol;
        Address peer;
        try {
            peer = Addresses.of(channel.getRemoteAddress(), "TCP");
        } catch (IOException e) {
            failed(mapConnectError(e));
            return;
        }
        try {
            protocol = factory.buildProtocol(peer);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (buildProtocol):");
            failed(new ConnectionFailedException("buildProtocol failed: " + e, e));
            return;
        }
        if (protocol == null) {
            failed(new ConnectionFailedException("the factory refused the connection (buildProtocol returned null)"));
            return;
        }
        state = State.CONNECTED;
        try {
            connection = new StreamConnection(reactor, channel, protocol, this, unixPath == null, "client");
        } catch (IOException e) {
            state = State.CONNECTING;
            failed(mapConnectError(e));
            return;
        }
        connection.start(tls, true, unixPath == null ? host : null);
    }

    private void failed(Throwable reason) {
        cancelTimeout();
        reactor.removeWriter(this);
        closeChannel();
        state = State.DISCONNECTED;
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
        state = State.DISCONNECTED;
        try {
            factory.clientConnectionLost(this, reason);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (clientConnectionLost):");
        }
        stopFactoryIfIdle();
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

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            channel = null;
        }
    }

    private Throwable mapConnectError(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ConnectException && message.contains("refused")) {
            return new ConnectionRefusedException(e);
        }
        if (unixPath != null && message.contains("No such file")) {
            return new ConnectionRefusedException(e);
        }
        return new ConnectionFailedException("An error occurred while connecting to " + destination + ": " + e.getMessage(), e);
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

    /** The reactor dropped the attempt (at shutdown, say): it failed with that reason. */
    @Override
    public void connectionLost(Failure reason) {
        if (state == State.CONNECTING) {
            failed(reason.value());
        }
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public String logPrefix() {
        return factory.getClass().getName() + " connecting to " + destination;
    }

    @Override
    public String toString() {
        return "<Connector to " + destination + " " + state + ">";
    }
}
