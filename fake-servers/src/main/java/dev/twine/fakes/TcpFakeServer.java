package dev.twine.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** What every fake TCP server shares: its loop, its listening socket, its record and its watchers. */
abstract class TcpFakeServer implements FakeServer {
    final EventLoop loop;
    final FakeLog log;
    private final ServerSocketChannel listener;
    private final String host;
    private final int port;
    private final List<Watcher> watchers = new ArrayList<>();

    private record Watcher(Predicate<ServerRecord> condition, CompletableFuture<ServerRecord> done) {
    }

    TcpFakeServer(String kind, String iface, int requestedPort, Consumer<String> printer) {
        if (requestedPort < 0 || requestedPort > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + requestedPort);
        }
        this.log = new FakeLog(kind, printer);
        this.loop = new EventLoop("twine-fake-" + kind, this::internalError);
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(InetAddress.getByName(iface), requestedPort), 1024);
        } catch (IOException e) {
            closeQuietly(channel);
            loop.close();
            throw new UncheckedIOException("could not listen on " + iface + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        this.listener = channel;
        InetSocketAddress bound = (InetSocketAddress) listenerAddress(channel);
        this.host = bound.getAddress().getHostAddress();
        this.port = bound.getPort();
        log.port(port);
    }

    private static java.net.SocketAddress listenerAddress(ServerSocketChannel channel) {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts accepting; subclasses call it last in their constructor. */
    final void startAccepting() {
        loop.call(() -> loop.register(listener, SelectionKey.OP_ACCEPT, key -> acceptAll()));
    }

    private void acceptAll() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            ConnectionLog connection = log.newConnection(Link.describe(channel));
            Link link = new Link(loop, channel, connection, null);
            try {
                accepted(link);
            } catch (RuntimeException e) {
                connection.fault(FaultKind.INTERNAL_ERROR, "accepting: " + e);
                link.closeNow();
            }
            checkWatchers();
        }
    }

    /** A new connection: set its listener, then {@link Link#start()} it. Loop thread. */
    abstract void accepted(Link link) throws IOException;

    /** Reports a failure of the fake itself (never of its peers) in its record. */
    final void internalError(Throwable e) {
        log.fault(new Fault(0, FaultKind.INTERNAL_ERROR, String.valueOf(e)));
    }

    /** Checks the watchers; call after anything that changes the record. Loop thread. */
    final void checkWatchers() {
        if (watchers.isEmpty()) {
            return;
        }
        ServerRecord snapshot = log.snapshot();
        for (Iterator<Watcher> it = watchers.iterator(); it.hasNext(); ) {
            Watcher watcher = it.next();
            if (watcher.condition().test(snapshot)) {
                it.remove();
                watcher.done().complete(snapshot);
            }
        }
    }

    /** A listener wrapper that checks the watchers after each event. */
    final Link.Listener watched(Link.Listener inner) {
        return new Link.Listener() {
            @Override
            public void data(Link link, byte[] data) {
                inner.data(link, data);
                checkWatchers();
            }

            @Override
            public void peerClosed(Link link) {
                inner.peerClosed(link);
                checkWatchers();
            }

            @Override
            public void ended(Link link) {
                inner.ended(link);
                checkWatchers();
            }
        };
    }

    @Override
    public final String host() {
        return host;
    }

    @Override
    public final int port() {
        return port;
    }

    @Override
    public final ServerRecord record() {
        return log.snapshot();
    }

    @Override
    public final CompletableFuture<ServerRecord> when(Predicate<ServerRecord> condition) {
        CompletableFuture<ServerRecord> done = new CompletableFuture<>();
        loop.execute(() -> {
            watchers.add(new Watcher(condition, done));
            checkWatchers();
        });
        return done;
    }

    @Override
    public final ServerRecord await(Predicate<ServerRecord> condition, Duration timeout) {
        CompletableFuture<ServerRecord> done = when(condition);
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done.cancel(false);
            throw new IllegalStateException("the condition did not hold within " + timeout + "; last record: " + record());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        loop.close();
        closeQuietly(listener);
    }

    static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return log.snapshot().server() + " fake on " + host + ":" + port;
    }
}
