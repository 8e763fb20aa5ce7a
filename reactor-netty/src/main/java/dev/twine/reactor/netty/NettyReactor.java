package dev.twine.reactor.netty;

import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReactorTLS;
import dev.twine.reactor.ReactorUDP;
import dev.twine.reactor.ReactorUnix;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.WriteDescriptor;
import java.nio.channels.SelectableChannel;
import java.util.HashMap;
import java.util.Map;
import dev.twine.reactor.ReactorAlreadyRunningException;
import dev.twine.reactor.ReactorNotRestartableException;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import dev.twine.reactor.support.SystemEventTriggers;
import dev.twine.reactor.support.TimerQueue;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A Twine reactor on Netty: Netty's NIO transport, its channels and pipelines, driven by the thread
 * that calls {@link #run()}. That thread is the reactor thread (and Netty's event-loop thread) while
 * the reactor runs; before the first {@code run()}, the thread that created the reactor counts as
 * its thread, so ports can be opened before running, as in Twisted.
 *
 * <p>Each turn of the loop selects, reads (each read handed to the protocol as it arrives), runs
 * the {@link #callFromThread} calls and Netty's own tasks, then the delayed calls that are due, and
 * flushes what protocols wrote. Blocking work runs on a bounded pool (at most {@value
 * #DEFAULT_THREAD_POOL_SIZE} threads unless {@link #suggestThreadPoolSize} says otherwise) and comes
 * back through {@code callFromThread}.
 */
public final class NettyReactor implements Reactor, ReactorUDP, ReactorUnix, ReactorTLS, ReactorDescriptors {

    /** The default size of the thread pool (Twisted's). */
    public static final int DEFAULT_THREAD_POOL_SIZE = 10;

    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id = IDS.incrementAndGet();
    final ReactorLoop loop;
    private final TimerQueue timers = new TimerQueue(System::nanoTime);
    private final SystemEventTriggers triggers = new SystemEventTriggers();
    private final ConcurrentLinkedQueue<Runnable> fromThreads = new ConcurrentLinkedQueue<>();
    /** Work to do after the next select, when Netty has let go of what was closed. */
    private final ArrayDeque<Runnable> afterSelect = new ArrayDeque<>();
    /** Connections written to since the last flush. */
    private final LinkedHashSet<StreamConnection> toFlush = new LinkedHashSet<>();
    final Set<StreamConnection> connections = new LinkedHashSet<>();
    final Set<StreamPort> ports = new LinkedHashSet<>();
    final Set<StreamConnector> connecting = new LinkedHashSet<>();
    final Set<UdpPort> udpPorts = new LinkedHashSet<>();
    /** The user's descriptors (ReactorDescriptors), and their channels as registered with Netty. */
    private final LinkedHashSet<ReadDescriptor> readers = new LinkedHashSet<>();
    private final LinkedHashSet<WriteDescriptor> writers = new LinkedHashSet<>();
    private final Map<SelectableChannel, Watched> watched = new HashMap<>();

    private volatile boolean loopActive;
    private boolean running;
    private boolean stopping;
    private boolean shutdownDue;
    private boolean stopped;
    private ThreadPoolExecutor pool;
    private int threadPoolSize = DEFAULT_THREAD_POOL_SIZE;

    /** A new reactor, not running; the calling thread counts as its thread until {@link #run()}. */
    public NettyReactor() {
        loop = new ReactorLoop(Thread.currentThread(), e -> logError(e, "Unhandled error in a task of " + this + ":"));
        triggers.add(Phase.DURING, STARTUP, () -> {
            running = true;
            return null;
        });
        triggers.add(Phase.DURING, SHUTDOWN, () -> {
            crash();
            return null;
        });
        triggers.add(Phase.DURING, SHUTDOWN, () -> {
            disconnectAll();
            return null;
        });
        triggers.add(Phase.DURING, SHUTDOWN, () -> {
            stopThreadPool();
            return null;
        });
    }

    @Override
    public String toString() {
        return "NettyReactor-" + id;
    }

    // ----------------------------------------------------------------------------------------
    // Core

    @Override
    public void run() {
        if (loopActive) {
            throw new ReactorAlreadyRunningException();
        }
        if (stopped) {
            throw new ReactorNotRestartableException();
        }
        loop.drivenBy(Thread.currentThread());
        loopActive = true;
        try {
            triggers.fire(STARTUP);
            while (loopActive) {
                turn(Long.MAX_VALUE, true);
            }
            // What stop() or crash() interrupted: take what is ready, without waiting.
            turn(0, false);
        } finally {
            loopActive = false;
            running = false;
            if (stopping) {
                stopped = true;
                release();
            }
        }
    }

    @Override
    public void stop() {
        if (!running || stopping) {
            throw new ReactorNotRunningException();
        }
        stopping = true;
        shutdownDue = true;
        loop.wakeUp();
    }

    @Override
    public void crash() {
        running = false;
        loopActive = false;
        loop.wakeUp();
    }

    @Override
    public void iterate(Duration maxWait) {
        long nanos = maxWait.isNegative() ? 0 : saturatedNanos(maxWait);
        Thread previous = Thread.currentThread();
        loop.drivenBy(previous);
        turn(nanos, false);
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

    /** One turn: select and read, then calls from threads, shutdown, timers; then flush. */
    private void turn(long maxWaitNanos, boolean inRun) {
        loop.turn(timeoutNanos(maxWaitNanos, inRun));
        for (int n = afterSelect.size(); n > 0; n--) {
            runLogged(afterSelect.poll(), "the reactor");
        }
        // Only the calls made before this turn: one that keeps calling callFromThread must not starve I/O.
        for (int n = fromThreads.size(); n > 0; n--) {
            Runnable call = fromThreads.poll();
            if (call == null) {
                break;
            }
            runLogged(call, "a callFromThread call");
        }
        if (shutdownDue) {
            shutdownDue = false;
            triggers.fire(SHUTDOWN);
        }
        timers.runDue(false, (call, error) -> logError(error, "Unhandled error in a delayed call:"));
        flushWrites();
    }

    /**
     * How long the next select may wait. In {@code run()}, a crash or stop that came since the loop's
     * check must not leave it waiting; {@code iterate(maxWait)} (the loop not active) waits as asked,
     * an unbounded maxWait included, until the next delayed call is due.
     */
    private long timeoutNanos(long maxWaitNanos, boolean inRun) {
        if (!fromThreads.isEmpty() || !afterSelect.isEmpty() || !toFlush.isEmpty() || shutdownDue
                || inRun && !loopActive) {
            return 0;
        }
        long next = timers.nextDueNanos();
        if (next == Long.MAX_VALUE) {
            return maxWaitNanos;
        }
        return Math.max(0, Math.min(maxWaitNanos, next - System.nanoTime()));
    }

    void scheduleFlush(StreamConnection connection) {
        toFlush.add(connection);
    }

    private void flushWrites() {
        while (!toFlush.isEmpty()) {
            List<StreamConnection> batch = new ArrayList<>(toFlush);
            toFlush.clear();
            for (StreamConnection connection : batch) {
                connection.flushIfScheduled(); // a read batch's end may have flushed it already
            }
        }
    }

    /** Runs {@code work} after the next select, once Netty has released what was closed. */
    void runAfterNextSelect(Runnable work) {
        afterSelect.add(work);
    }

    private void disconnectAll() {
        for (StreamPort port : new ArrayList<>(ports)) {
            port.stopListening();
        }
        for (UdpPort port : new ArrayList<>(udpPorts)) {
            port.stopListening();
        }
        for (StreamConnector connector : new ArrayList<>(connecting)) {
            connector.lostAtShutdown(new Failure(new ConnectionLost()));
        }
        for (StreamConnection connection : new ArrayList<>(connections)) {
            connection.lost(new Failure(new ConnectionLost()), true);
        }
        List<Descriptor> users = new ArrayList<>(readers);
        for (WriteDescriptor writer : writers) {
            if (!users.contains(writer)) {
                users.add(writer);
            }
        }
        for (Descriptor descriptor : users) {
            if (descriptor instanceof ReadDescriptor reader) {
                removeReader(reader);
            }
            if (descriptor instanceof WriteDescriptor writer) {
                removeWriter(writer);
            }
            Watched.lost(this, descriptor, new Failure(new ConnectionLost()));
        }
    }

    private void release() {
        // Let Netty finish closing what disconnectAll closed, then let go of the selector.
        for (int i = 0; i < 3; i++) {
            loop.turn(0);
            for (int n = afterSelect.size(); n > 0; n--) {
                runLogged(afterSelect.poll(), "the reactor");
            }
        }
        loop.destroy();
        fromThreads.clear();
    }

    void logError(Throwable error, String why) {
        ErrorLog.current().err(new Failure(error), why);
    }

    private void runLogged(Runnable call, String what) {
        try {
            call.run();
        } catch (Throwable e) {
            logError(e, "Unhandled error in " + what + ":");
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // ----------------------------------------------------------------------------------------
    // Time

    @Override
    public DelayedCall callLater(Duration delay, Runnable callable) {
        return timers.schedule(delay, callable);
    }

    @Override
    public double seconds() {
        return timers.nanoTime() / 1e9;
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return timers.pending();
    }

    // ----------------------------------------------------------------------------------------
    // Threads

    @Override
    public void callFromThread(Runnable callable) {
        fromThreads.add(Objects.requireNonNull(callable, "callable"));
        if (!isInIOThread()) {
            loop.wakeUp();
        }
    }

    @Override
    public void callInThread(Runnable callable) {
        Objects.requireNonNull(callable, "callable");
        ErrorLog log = ErrorLog.current();
        pool().execute(() -> {
            try {
                callable.run();
            } catch (Throwable e) {
                log.err(new Failure(e), "Unhandled error in a callInThread call:");
            }
        });
    }

    @Override
    public void suggestThreadPoolSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the thread pool needs at least 1 thread, got " + size);
        }
        threadPoolSize = size;
        if (pool != null) {
            if (size > pool.getMaximumPoolSize()) {
                pool.setMaximumPoolSize(size);
                pool.setCorePoolSize(size);
            } else {
                pool.setCorePoolSize(size);
                pool.setMaximumPoolSize(size);
            }
        }
    }

    @Override
    public boolean isInIOThread() {
        return loop.inEventLoop();
    }

    private ThreadPoolExecutor pool() {
        if (pool == null) {
            AtomicInteger count = new AtomicInteger();
            String name = toString() + "-pool-";
            pool = new ThreadPoolExecutor(threadPoolSize, threadPoolSize, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    work -> {
                        Thread thread = new Thread(work, name + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
        }
        return pool;
    }

    private void stopThreadPool() {
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool = null;
        }
    }

    // ----------------------------------------------------------------------------------------
    // UDP

    @Override
    public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        return UdpPort.listen(this, port, protocol, iface, maxPacketSize);
    }

    // ----------------------------------------------------------------------------------------
    // Descriptors

    @Override
    public void addReader(ReadDescriptor reader) {
        Objects.requireNonNull(reader, "reader");
        if (reader instanceof StreamConnection connection) {
            connection.watched(true);
        } else if (reader instanceof StreamPort port) {
            port.watched(true);
        } else if (reader instanceof UdpPort port) {
            port.watched(true);
        } else if (readers.add(reader)) {
            Watched watch = watched.computeIfAbsent(reader.channel(), channel -> new Watched(this, channel));
            watch.reader = reader;
            watch.update();
        }
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        Objects.requireNonNull(writer, "writer");
        if (writers.add(writer)) {
            Watched watch = watched.computeIfAbsent(writer.channel(), channel -> new Watched(this, channel));
            watch.writer = writer;
            watch.update();
        }
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        if (reader instanceof StreamConnection connection) {
            connection.watched(false);
        } else if (reader instanceof StreamPort port) {
            port.watched(false);
        } else if (reader instanceof UdpPort port) {
            port.watched(false);
        } else if (readers.remove(reader)) {
            Watched watch = watched.get(reader.channel());
            if (watch != null && watch.reader == reader) {
                watch.reader = null;
                unwatchIfIdle(watch);
            }
        }
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        if (writers.remove(writer)) {
            Watched watch = watched.get(writer.channel());
            if (watch != null && watch.writer == writer) {
                watch.writer = null;
                unwatchIfIdle(watch);
            }
        }
    }

    private void unwatchIfIdle(Watched watch) {
        watch.update();
        if (watch.reader == null && watch.writer == null) {
            watched.remove(watch.selectableChannel());
        }
    }

    /** A descriptor's doRead or doWrite gave a reason to stop, or threw: remove it and tell it. */
    void dropDescriptor(Descriptor descriptor, Throwable why) {
        if (descriptor instanceof ReadDescriptor reader) {
            removeReader(reader);
        }
        if (descriptor instanceof WriteDescriptor writer) {
            removeWriter(writer);
        }
        Watched.lost(this, descriptor, new Failure(why));
    }

    @Override
    public List<Descriptor> removeAll() {
        List<Descriptor> all = new ArrayList<>(getReaders());
        for (WriteDescriptor writer : getWriters()) {
            if (!all.contains(writer)) {
                all.add(writer);
            }
        }
        for (Descriptor descriptor : all) {
            if (descriptor instanceof ReadDescriptor reader) {
                removeReader(reader);
            }
            if (descriptor instanceof WriteDescriptor writer) {
                removeWriter(writer);
            }
        }
        return all;
    }

    @Override
    public List<ReadDescriptor> getReaders() {
        List<ReadDescriptor> all = new ArrayList<>();
        for (StreamPort port : ports) {
            if (port.isWatched()) {
                all.add(port);
            }
        }
        for (UdpPort port : udpPorts) {
            if (port.isWatched()) {
                all.add(port);
            }
        }
        for (StreamConnection connection : connections) {
            if (connection.isWatched()) {
                all.add(connection);
            }
        }
        all.addAll(readers);
        return all;
    }

    @Override
    public List<WriteDescriptor> getWriters() {
        return new ArrayList<>(writers);
    }

    // ----------------------------------------------------------------------------------------
    // TCP

    @Override
    public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
        return StreamPort.listen(this, port, factory, backlog, iface, null);
    }

    @Override
    public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout, InetSocketAddress bindAddress) {
        return StreamConnector.start(this, host, port, factory, timeout, bindAddress, null);
    }

    // ----------------------------------------------------------------------------------------
    // Unix domain sockets (Netty's NIO domain socket channels, JDK 16 and later)

    @Override
    public ListeningPort listenUNIX(Path address, ProtocolFactory factory, int backlog) {
        return StreamPort.listenUnix(this, address, factory, backlog);
    }

    @Override
    public Connector connectUNIX(Path address, ClientFactory factory, Duration timeout) {
        return StreamConnector.startUnix(this, address, factory, timeout);
    }

    // ----------------------------------------------------------------------------------------
    // TLS

    @Override
    public ListeningPort listenSSL(int port, ProtocolFactory factory, SSLContext context, int backlog, String iface) {
        Objects.requireNonNull(context, "context");
        return StreamPort.listen(this, port, factory, backlog, iface, context);
    }

    @Override
    public Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context, Duration timeout,
            InetSocketAddress bindAddress) {
        Objects.requireNonNull(context, "context");
        return StreamConnector.start(this, host, port, factory, timeout, bindAddress, context);
    }
}
