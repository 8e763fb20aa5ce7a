package dev.twine.reactor.nio;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReadDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/** A listening TCP (optionally TLS) or Unix domain socket port. */
final class StreamPort implements ListeningPort, ReadDescriptor {
    private static final int ACCEPTS_PER_ROUND = 100;

    private final NioReactor reactor;
    private final ServerSocketChannel channel;
    private final ProtocolFactory factory;
    private final SSLContext tls;
    private final Path unixPath;
    private final Address host;
    private boolean closed;
    private boolean released;
    private final List<Deferred<Void>> stopWaiters = new java.util.ArrayList<>();
    private boolean acceptPaused;

    private StreamPort(NioReactor reactor, ServerSocketChannel channel, ProtocolFactory factory, SSLContext tls, Path unixPath)
            throws IOException {
        this.reactor = reactor;
        this.channel = channel;
        this.factory = factory;
        this.tls = tls;
        this.unixPath = unixPath;
        this.host = Addresses.of(channel.getLocalAddress(), "TCP");
    }

    static StreamPort listenTcp(NioReactor reactor, int port, ProtocolFactory factory, int backlog, String iface, SSLContext tls) {
        Objects.requireNonNull(factory, "factory");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        InetAddress address = Addresses.bindAddress(iface, port);
        ServerSocketChannel channel = null;
        try {
            if (address == null) {
                channel = ServerSocketChannel.open(StandardProtocolFamily.INET);
                address = InetAddress.getByAddress(new byte[4]);
            } else {
                channel = ServerSocketChannel.open(address instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            }
            channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(address, port), backlog);
            return start(new StreamPort(reactor, channel, factory, tls, null));
        } catch (IOException e) {
            closeQuietly(channel);
            throw NioReactor.cannotListen(iface, port, e);
        }
    }

    static StreamPort listenUnix(NioReactor reactor, Path path, ProtocolFactory factory, int backlog) {
        Objects.requireNonNull(path, "address");
        Objects.requireNonNull(factory, "factory");
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path), backlog);
            return start(new StreamPort(reactor, channel, factory, null, path));
        } catch (IOException e) {
            closeQuietly(channel);
            throw NioReactor.cannotListen(path.toString(), 0, e);
        }
    }

    private static StreamPort start(StreamPort port) {
        port.factory.doStart();
        port.reactor.addReader(port);
        return port;
    }

    @Override
    public Throwable doRead() {
        for (int i = 0; i < ACCEPTS_PER_ROUND && !closed; i++) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                return acceptFailed(e);
            }
            if (accepted == null) {
                return null;
            }
            connect(accepted);
        }
        return null;
    }

    /**
     * Out of descriptors (or a similar passing failure): log it and stop accepting for a moment,
     * rather than spin on a socket that stays ready.
     */
    private Throwable acceptFailed(IOException e) {
        if (!acceptPaused) {
            acceptPaused = true;
            reactor.logError(e, "Could not accept a new connection on " + host + "; pausing accepts for 100 ms:");
            reactor.removeReader(this);
            reactor.callLater(Duration.ofMillis(100), () -> {
                acceptPaused = false;
                if (!closed) {
                    reactor.addReader(this);
                }
            });
        }
        return null;
    }

    private void connect(SocketChannel accepted) {
        try {
            accepted.configureBlocking(false);
            Address peer = Addresses.of(accepted.getRemoteAddress(), "TCP");
            Protocol protocol;
            try {
                protocol = factory.buildProtocol(peer);
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (buildProtocol):");
                accepted.close();
                return;
            }
            if (protocol == null) {
                accepted.close();
                return;
            }
            StreamConnection connection = new StreamConnection(reactor, accepted, protocol, null, unixPath == null,
                    "server");
            connection.start(tls, false, null);
        } catch (IOException e) {
            reactor.logError(e, "Setting up an accepted connection on " + host + " failed:");
            closeQuietly(accepted);
        }
    }

    /**
     * Closes the port. A registered channel's socket is released by the selector's next select,
     * so the Deferred fires at the start of the iteration after that, when the port is really gone.
     */
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
        closeQuietly(channel);
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException e) {
                reactor.logError(e, "Could not remove the socket file " + unixPath + ":");
            }
        }
        try {
            factory.doStop();
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + factory.getClass().getName() + " (doStop):");
        }
        reactor.runAfterNextSelect(() -> {
            released = true;
            List<Deferred<Void>> waiters = List.copyOf(stopWaiters);
            stopWaiters.clear();
            waiters.forEach(waiter -> waiter.callback(null));
        });
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
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
        return factory.getClass().getName() + " port " + host;
    }

    @Override
    public String toString() {
        return "<" + factory.getClass().getName() + " on " + host + ">";
    }
}
