package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorAlreadyRunningException;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReactorNotRestartableException;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.reactor.ReactorTLS;
import dev.twine.reactor.ReactorUnix;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import dev.twine.reactor.UnixAddress;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.reactor.support.SystemEventTriggers;
import dev.twine.task.Clock;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import org.apiguardian.api.API;

/**
 * A reactor that does no I/O and records what it is asked to do, for unit tests of code that
 * takes a reactor: Twisted's {@code MemoryReactorClock}. Listen and connect calls are recorded
 * (see {@link #tcpServers()}, {@link #tcpClients()} …) and return inert ports and connectors; a
 * test completes a connection itself, for example by building the protocol from the recorded
 * factory and connecting it to a {@link StringTransport} or through a {@link LoopbackPump}.
 *
 * <p>Time is a {@link Clock}: it moves only with {@link #advance}. {@link #run()} does not
 * block: it fires the startup triggers and returns with the reactor marked running. Calls made
 * with {@link #callFromThread} (from any thread) wait until {@link #iterate} or {@link #run()};
 * {@link #callInThread} runs its work at once on the calling thread, so {@code deferToThread}
 * fires at the next {@code iterate}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MemoryReactor implements Reactor, ReactorTLS, ReactorUnix, ReactorDescriptors {

    /** A recorded {@code listenTCP} or {@code listenSSL}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record TcpServer(int port, ProtocolFactory factory, int backlog, String iface, SSLContext tls) {
    }

    /** A recorded {@code connectTCP} or {@code connectSSL}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record TcpClient(String host, int port, ClientFactory factory, Duration timeout,
            InetSocketAddress bindAddress, SSLContext tls) {
    }

    /** A recorded {@code listenUNIX}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record UnixServer(Path address, ProtocolFactory factory, int backlog) {
    }

    /** A recorded {@code connectUNIX}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record UnixClient(Path address, ClientFactory factory, Duration timeout) {
    }

    private final Clock clock = new Clock();
    private final SystemEventTriggers triggers = new SystemEventTriggers();
    private final ConcurrentLinkedQueue<Runnable> fromThreads = new ConcurrentLinkedQueue<>();
    private final Thread owner = Thread.currentThread();

    private final List<TcpServer> tcpServers = new ArrayList<>();
    private final List<TcpClient> tcpClients = new ArrayList<>();
    private final List<UnixServer> unixServers = new ArrayList<>();
    private final List<UnixClient> unixClients = new ArrayList<>();
    private final List<Connector> connectors = new ArrayList<>();
    private final List<ReadDescriptor> readers = new ArrayList<>();
    private final List<WriteDescriptor> writers = new ArrayList<>();
    private final List<Runnable> inThreadCalls = new ArrayList<>();

    private boolean running;
    private boolean hasRun;
    private boolean hasStopped;
    private boolean hasCrashed;
    private int threadPoolSize = 10;
    private int nextPort = 40000;

    // --- records ---------------------------------------------------------------------------

    /** The {@code listenTCP} and {@code listenSSL} calls, in order. */
    public List<TcpServer> tcpServers() {
        return Collections.unmodifiableList(tcpServers);
    }

    /** The {@code connectTCP} and {@code connectSSL} calls, in order. */
    public List<TcpClient> tcpClients() {
        return Collections.unmodifiableList(tcpClients);
    }

    /** The {@code listenUNIX} calls, in order. */
    public List<UnixServer> unixServers() {
        return Collections.unmodifiableList(unixServers);
    }

    /** The {@code connectUNIX} calls, in order. */
    public List<UnixClient> unixClients() {
        return Collections.unmodifiableList(unixClients);
    }

    /** The connectors returned, in order. */
    public List<Connector> connectors() {
        return Collections.unmodifiableList(connectors);
    }

    /** The work given to {@code callInThread}, in order (each has already run). */
    public List<Runnable> inThreadCalls() {
        return Collections.unmodifiableList(inThreadCalls);
    }

    /** Whether {@link #run()} was called. */
    public boolean hasRun() {
        return hasRun;
    }

    /** Whether {@link #stop()} was called. */
    public boolean hasStopped() {
        return hasStopped;
    }

    /** Whether {@link #crash()} was called. */
    public boolean hasCrashed() {
        return hasCrashed;
    }

    /** The last size given to {@link #suggestThreadPoolSize}. */
    public int threadPoolSize() {
        return threadPoolSize;
    }

    /** The clock behind this reactor's time. */
    public Clock clock() {
        return clock;
    }

    /** Moves time forward and runs what came due (as {@link Clock#advance}). */
    public void advance(Duration amount) {
        clock.advance(amount);
    }

    // --- core ------------------------------------------------------------------------------

    @Override
    public void run() {
        if (running) {
            throw new ReactorAlreadyRunningException();
        }
        if (hasStopped) {
            throw new ReactorNotRestartableException();
        }
        running = true;
        hasRun = true;
        triggers.fire(STARTUP);
        runCallsFromThreads();
    }

    @Override
    public void stop() {
        if (!running || hasStopped) {
            throw new ReactorNotRunningException();
        }
        hasStopped = true;
        triggers.fire(SHUTDOWN).addVoidCallback(ignored -> {
            running = false;
        });
    }

    @Override
    public void crash() {
        hasCrashed = true;
        running = false;
    }

    /** Runs the waiting {@code callFromThread} calls and the calls due now; never waits. */
    @Override
    public void iterate(Duration maxWait) {
        runCallsFromThreads();
        clock.runDue();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void callWhenRunning(Runnable callable) {
        Objects.requireNonNull(callable, "callable");
        if (running) {
            callable.run();
        } else {
            triggers.add(Phase.AFTER, STARTUP, () -> {
                callable.run();
                return null;
            });
        }
    }

    @Override
    public TriggerHandle addSystemEventTrigger(Phase phase, String eventType, SystemEventTrigger trigger) {
        return triggers.add(phase, eventType, trigger);
    }

    @Override
    public void removeSystemEventTrigger(TriggerHandle handle) {
        triggers.remove(handle);
    }

    @Override
    public void fireSystemEvent(String eventType) {
        triggers.fire(eventType);
    }

    // --- time ------------------------------------------------------------------------------

    @Override
    public DelayedCall callLater(Duration delay, Runnable callable) {
        return clock.callLater(delay, callable);
    }

    @Override
    public double seconds() {
        return clock.seconds();
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return clock.getDelayedCalls();
    }

    // --- threads ---------------------------------------------------------------------------

    @Override
    public void callFromThread(Runnable callable) {
        fromThreads.add(Objects.requireNonNull(callable, "callable"));
    }

    @Override
    public void callInThread(Runnable callable) {
        inThreadCalls.add(callable);
        try {
            callable.run();
        } catch (RuntimeException | Error e) {
            ErrorLog.current().err(new Failure(e), "Unhandled error in a callInThread call:");
        }
    }

    @Override
    public void suggestThreadPoolSize(int size) {
        threadPoolSize = size;
    }

    @Override
    public boolean isInIOThread() {
        return Thread.currentThread() == owner;
    }

    private void runCallsFromThreads() {
        Runnable call;
        while ((call = fromThreads.poll()) != null) {
            call.run();
        }
    }

    // --- TCP, TLS, Unix ---------------------------------------------------------------------

    @Override
    public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
        return listen(port, factory, backlog, iface, null);
    }

    @Override
    public ListeningPort listenSSL(int port, ProtocolFactory factory, SSLContext context, int backlog, String iface) {
        return listen(port, factory, backlog, iface, Objects.requireNonNull(context, "context"));
    }

    private ListeningPort listen(int port, ProtocolFactory factory, int backlog, String iface, SSLContext tls) {
        checkPort(port);
        Objects.requireNonNull(factory, "factory");
        tcpServers.add(new TcpServer(port, factory, backlog, iface, tls));
        int bound = port == 0 ? nextPort++ : port;
        return new FakePort(new IPv4Address("TCP", iface == null || iface.isEmpty() ? "0.0.0.0" : iface, bound));
    }

    @Override
    public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout, InetSocketAddress bindAddress) {
        return connect(host, port, factory, timeout, bindAddress, null);
    }

    @Override
    public Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            Duration timeout, InetSocketAddress bindAddress) {
        return connect(host, port, factory, timeout, bindAddress, Objects.requireNonNull(context, "context"));
    }

    private Connector connect(String host, int port, ClientFactory factory, Duration timeout,
            InetSocketAddress bindAddress, SSLContext tls) {
        checkPort(port);
        Objects.requireNonNull(factory, "factory");
        tcpClients.add(new TcpClient(host, port, factory, timeout, bindAddress, tls));
        return startConnector(new IPv4Address("TCP", host, port), factory);
    }

    @Override
    public ListeningPort listenUNIX(Path address, ProtocolFactory factory, int backlog) {
        unixServers.add(new UnixServer(address, Objects.requireNonNull(factory, "factory"), backlog));
        return new FakePort(new UnixAddress(address));
    }

    @Override
    public Connector connectUNIX(Path address, ClientFactory factory, Duration timeout) {
        unixClients.add(new UnixClient(address, Objects.requireNonNull(factory, "factory"), timeout));
        return startConnector(new UnixAddress(address), factory);
    }

    private Connector startConnector(Address destination, ClientFactory factory) {
        FakeConnector connector = new FakeConnector(destination, factory);
        connectors.add(connector);
        factory.startedConnecting(connector);
        return connector;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
    }

    // --- descriptors -----------------------------------------------------------------------

    @Override
    public void addReader(ReadDescriptor reader) {
        if (!readers.contains(reader)) {
            readers.add(reader);
        }
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        if (!writers.contains(writer)) {
            writers.add(writer);
        }
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        readers.remove(reader);
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        writers.remove(writer);
    }

    @Override
    public List<Descriptor> removeAll() {
        List<Descriptor> removed = new ArrayList<>(readers);
        for (WriteDescriptor writer : writers) {
            if (!removed.contains(writer)) {
                removed.add(writer);
            }
        }
        readers.clear();
        writers.clear();
        return removed;
    }

    @Override
    public List<ReadDescriptor> getReaders() {
        return List.copyOf(readers);
    }

    @Override
    public List<WriteDescriptor> getWriters() {
        return List.copyOf(writers);
    }

    /** A port that listens on nothing. */
    private static final class FakePort implements ListeningPort {
        private final Address host;
        private Deferred<Void> stopped;

        FakePort(Address host) {
            this.host = host;
        }

        @Override
        public Deferred<Void> stopListening() {
            if (stopped == null) {
                stopped = Deferred.succeed(null);
            }
            Deferred<Void> result = new Deferred<>();
            stopped.addCallback(v -> {
                result.callback(null);
                return v;
            });
            return result;
        }

        @Override
        public Address getHost() {
            return host;
        }
    }

    /** A connector that connects to nothing; stopping it reports a cancelled attempt. */
    private static final class FakeConnector implements Connector {
        private final Address destination;
        private final ClientFactory factory;
        private boolean connecting = true;

        FakeConnector(Address destination, ClientFactory factory) {
            this.destination = destination;
            this.factory = factory;
        }

        @Override
        public void stopConnecting() {
            if (!connecting) {
                throw new IllegalStateException("not connecting: " + destination);
            }
            connecting = false;
            factory.clientConnectionFailed(this, new Failure(new ConnectCancelledException()));
        }

        @Override
        public void disconnect() {
            if (connecting) {
                stopConnecting();
            }
        }

        @Override
        public void connect() {
            connecting = true;
            factory.startedConnecting(this);
        }

        @Override
        public Address getDestination() {
            return destination;
        }
    }
}
