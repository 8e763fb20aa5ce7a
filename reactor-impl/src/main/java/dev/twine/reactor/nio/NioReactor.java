package dev.twine.reactor.nio;

import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorAlreadyRunningException;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReactorNotRestartableException;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.reactor.ReactorTLS;
import dev.twine.reactor.ReactorUDP;
import dev.twine.reactor.ReactorUnix;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.reactor.support.SystemEventTriggers;
import dev.twine.reactor.support.TimerQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The default reactor: one {@link Selector} loop on the thread that calls {@link #run()}, a timer
 * heap, and a bounded thread pool for blocking work. TCP (IPv4 and IPv6), UDP, Unix domain
 * sockets and TLS, and user descriptors.
 *
 * <p>Like Twisted's, it is built on its own descriptor set: every port, connection and
 * connection attempt is a {@link ReadDescriptor} or {@link WriteDescriptor} added with {@link
 * #addReader} / {@link #addWriter}, next to any the application adds. One read buffer serves
 * every connection of the reactor; a connection holds a buffer only for bytes it could not send
 * yet. Writes go to the socket at once when nothing is queued before them.
 *
 * <p>Threads: see {@link Reactor}. Before {@link #run()}, the thread that created the reactor
 * counts as its thread (so ports can be opened before running, as in Twisted).
 */
public final class NioReactor implements Reactor, ReactorUDP, ReactorUnix, ReactorTLS, ReactorDescriptors {

    /** The default size of the thread pool (Twisted's). */
    public static final int DEFAULT_THREAD_POOL_SIZE = 10;

    /** Bytes queued on a connection above which its streaming producer is paused (Twisted's {@code bufferSize}). */
    static final int HIGH_WATER_MARK = 64 * 1024;


    private static final AtomicInteger IDS = new AtomicInteger();
    /** Marks where the calls from threads that one pass of the loop runs end. */
    private static final Runnable END_OF_PASS = () -> { };

    final int id = IDS.incrementAndGet();
    private final Selector selector;
    private final TimerQueue timers = new TimerQueue(System::nanoTime);
    private final SystemEventTriggers triggers = new SystemEventTriggers();
    private final ConcurrentLinkedQueue<Runnable> fromThreads = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Internal work to run at the start of the next iteration, never inside the call that asked. */
    private final ArrayDeque<Runnable> soon = new ArrayDeque<>();
    /** Work that must wait until a select has run: the selector releases closed channels' descriptors only then. */
    private final ArrayDeque<Runnable> afterSelect = new ArrayDeque<>();
    /** Work from {@link #afterSelect} whose select has run: next iteration, after {@link #soon}, or at release. */
    private final ArrayDeque<Runnable> selected = new ArrayDeque<>();
    /** Connections written to during this pass of the loop, flushed at its end. */
    private ArrayList<StreamConnection> toFlush = new ArrayList<>();
    private ArrayList<StreamConnection> flushing = new ArrayList<>();
    private final LinkedHashSet<ReadDescriptor> readers = new LinkedHashSet<>();
    private final LinkedHashSet<WriteDescriptor> writers = new LinkedHashSet<>();
    /**
     * Open stream connections, watched or not: one paused by its protocol is in neither set above.
     * A list threaded through the connections themselves, oldest first: a set's entry would cost each
     * idle connection 40 bytes more.
     */
    final StreamConnection.OpenList connections = new StreamConnection.OpenList();
    /** Spare chunks shared by this reactor's connections for output, and for reading (at most 4 MiB kept). */
    final OutputChunks.Pool outputPool = new OutputChunks.Pool(64);
    /** The one buffer every connection reads into; a connection that writes it back takes it over. */
    private ByteBuffer readBuffer = outputPool.take();

    private volatile Thread ioThread = Thread.currentThread();
    private boolean loopActive;
    private boolean running;
    private boolean stopping;
    private boolean justStopped;
    private boolean stopped;
    private ReactorThreadPool pool;
    private int threadPoolSize = DEFAULT_THREAD_POOL_SIZE;
    /**
     * A fault for the conformance suite's strength test only (set from test code in this package):
     * TLS connections close without sending close_notify. Never set otherwise.
     */
    boolean omitCloseNotifyForTests;

    /** A new reactor, not running. */
    public NioReactor() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a Selector", e);
        }
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
        return "NioReactor-" + id;
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
        ioThread = Thread.currentThread();
        loopActive = true;
        try {
            triggers.fire(STARTUP);
            while (loopActive) {
                iterateOnce(Long.MAX_VALUE, true);
            }
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
        justStopped = true;
        wakeUp();
    }

    @Override
    public void crash() {
        running = false;
        loopActive = false;
        wakeUp();
    }

    @Override
    public void iterate(Duration maxWait) {
        long nanos = maxWait.isNegative() ? 0 : saturatedNanos(maxWait);
        iterateOnce(nanos, false);
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

    private void iterateOnce(long maxWaitNanos, boolean inRun) {
        runUntilCurrent();
        flushWrites();
        wakeupPending.set(false);
        // Once stop or crash has ended the loop, take what is ready without waiting, then leave.
        select(inRun && !loopActive ? 0 : timeoutNanos(maxWaitNanos));
        for (int n = afterSelect.size(); n > 0; n--) {
            selected.add(afterSelect.poll());
        }
        flushWrites();
    }

    /** The buffer to read into now. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** Whether {@code buffer} is the read buffer, lent to a protocol during its bufferReceived. */
    boolean isReadBuffer(ByteBuffer buffer) {
        return buffer == readBuffer;
    }

    /** A connection took the read buffer over for its output: read into a fresh one from now on. */
    void readBufferTaken() {
        readBuffer = outputPool.take();
    }

    void scheduleFlush(StreamConnection connection) {
        toFlush.add(connection);
    }

    private void flushWrites() {
        while (!toFlush.isEmpty()) {
            ArrayList<StreamConnection> batch = toFlush;
            toFlush = flushing;
            flushing = batch;
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).flush();
            }
            batch.clear();
        }
    }

    /** Runs what is due now: calls from other threads, internal follow-ups, shutdown, timers. */
    private void runUntilCurrent() {
        // Only the calls queued before this pass: one queued meanwhile (even by a call run here) waits
        // for the next pass, after the timers due now, as in Twisted's runUntilCurrent.
        fromThreads.add(END_OF_PASS);
        for (Runnable call; (call = fromThreads.poll()) != END_OF_PASS; ) {
            runLogged(call, "a callFromThread call");
        }
        for (int n = soon.size(); n > 0; n--) {
            runLogged(soon.poll(), "the reactor");
        }
        for (int n = selected.size(); n > 0; n--) {
            runLogged(selected.poll(), "the reactor");
        }
        if (justStopped) {
            justStopped = false;
            triggers.fire(SHUTDOWN);
        }
        timers.runDue(false, (call, error) -> logError(error, "Unhandled error in a delayed call:"));
    }

    private long timeoutNanos(long maxWaitNanos) {
        if (!fromThreads.isEmpty() || !soon.isEmpty() || !selected.isEmpty() || !afterSelect.isEmpty() || !toFlush.isEmpty() || justStopped) {
            return 0;
        }
        long next = timers.nextDueNanos();
        if (next == Long.MAX_VALUE) {
            return maxWaitNanos;
        }
        return Math.max(0, Math.min(maxWaitNanos, next - System.nanoTime()));
    }

    private void select(long timeoutNanos) {
        try {
            if (timeoutNanos <= 0) {
                selector.selectNow(this::dispatch);
            } else if (timeoutNanos == Long.MAX_VALUE) {
                selector.select(this::dispatch);
            } else {
                long millis = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                selector.select(this::dispatch, millis);
            }
        } catch (IOException e) {
            logError(e, "The reactor's selector failed:");
        }
    }

    /** Calls the reader and writer of one ready channel; a reason returned or thrown disconnects. */
    private void dispatch(SelectionKey key) {
        Registration registration = (Registration) key.attachment();
        int ready;
        try {
            ready = key.readyOps();
        } catch (java.nio.channels.CancelledKeyException e) {
            return;
        }
        ReadDescriptor reader = registration.reader;
        if (reader != null && (ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            Throwable why = callDescriptor(reader, true);
            if (why != null) {
                disconnect(reader, why);
                return;
            }
        }
        WriteDescriptor writer = registration.writer;
        if (writer != null && key.isValid() && writers.contains(writer)
                && (ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            Throwable why = callDescriptor(writer, false);
            if (why != null) {
                disconnect(writer, why);
            }
        }
    }

    private Throwable callDescriptor(Descriptor descriptor, boolean read) {
        try {
            return read ? ((ReadDescriptor) descriptor).doRead() : ((WriteDescriptor) descriptor).doWrite();
        } catch (Throwable e) {
            logError(e, "Unhandled error in " + descriptor.logPrefix() + (read ? " (doRead):" : " (doWrite):"));
            return e;
        }
    }

    /** Stops watching {@code descriptor} and tells it why. */
    void disconnect(Descriptor descriptor, Throwable why) {
        if (descriptor instanceof ReadDescriptor reader) {
            removeReader(reader);
        }
        if (descriptor instanceof WriteDescriptor writer) {
            removeWriter(writer);
        }
        try {
            descriptor.connectionLost(why instanceof FailureCarrier carrier ? carrier.failure : new Failure(why));
        } catch (Throwable e) {
            logError(e, "Unhandled error in " + descriptor.logPrefix() + " (connectionLost):");
        }
    }

    /** Lets a descriptor hand an existing Failure to {@link #disconnect} instead of a new one. */
    static final class FailureCarrier extends RuntimeException {
        final transient Failure failure;

        FailureCarrier(Failure failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    private void disconnectAll() {
        LinkedHashSet<Descriptor> all = new LinkedHashSet<>(removeAll());
        all.addAll(connections.snapshot()); // a connection paused by its protocol is watched for nothing, yet open
        for (Descriptor descriptor : all) {
            try {
                descriptor.connectionLost(new Failure(new ConnectionLost()));
            } catch (Throwable e) {
                logError(e, "Unhandled error in " + descriptor.logPrefix() + " (connectionLost at shutdown):");
            }
        }
    }

    private void release() {
        try {
            selector.close();
        } catch (IOException e) {
            logError(e, "Closing the reactor's selector failed:");
        }
        // A port closed in the last iterations still fires its stopListening Deferred before run() returns.
        while (!selected.isEmpty()) {
            runLogged(selected.poll(), "the reactor");
        }
        while (!afterSelect.isEmpty()) {
            runLogged(afterSelect.poll(), "the reactor");
        }
        soon.clear();
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

    /**
     * Runs {@code work} in the iteration after the next select: by then a channel closed now has
     * been deregistered and its descriptor released, so its address can be bound again.
     */
    void runAfterNextSelect(Runnable work) {
        afterSelect.add(work);
    }

    /** Runs {@code work} at the start of the next iteration (not inside the current call). */
    void runSoon(Runnable work) {
        soon.add(work);
    }

    private void wakeUp() {
        if (Thread.currentThread() != ioThread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
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
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
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
            pool.resize(size);
        }
    }

    @Override
    public boolean isInIOThread() {
        return Thread.currentThread() == ioThread;
    }

    private ReactorThreadPool pool() {
        if (pool == null) {
            if (stopped) {
                throw new IllegalStateException(this + " has stopped; its thread pool is gone");
            }
            pool = new ReactorThreadPool("twine-reactor-" + id + "-pool", threadPoolSize);
        }
        return pool;
    }

    private void stopThreadPool() {
        if (pool != null) {
            pool.stop();
            pool = null;
        }
    }

    // ----------------------------------------------------------------------------------------
    // TCP, TLS, Unix

    @Override
    public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
        return StreamPort.listenTcp(this, port, factory, backlog, iface, null);
    }

    @Override
    public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout, InetSocketAddress bindAddress) {
        return StreamConnector.tcp(this, host, port, factory, timeout, bindAddress, null);
    }

    @Override
    public ListeningPort listenSSL(int port, ProtocolFactory factory, SSLContext context, int backlog, String iface) {
        return StreamPort.listenTcp(this, port, factory, backlog, iface, Objects.requireNonNull(context, "context"));
    }

    @Override
    public Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            Duration timeout, InetSocketAddress bindAddress) {
        return StreamConnector.tcp(this, host, port, factory, timeout, bindAddress, Objects.requireNonNull(context, "context"));
    }

    @Override
    public ListeningPort listenUNIX(Path address, ProtocolFactory factory, int backlog) {
        return StreamPort.listenUnix(this, address, factory, backlog);
    }

    @Override
    public Connector connectUNIX(Path address, ClientFactory factory, Duration timeout) {
        return StreamConnector.unix(this, address, factory, timeout);
    }

    // ----------------------------------------------------------------------------------------
    // UDP

    @Override
    public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        return DatagramPort.listen(this, port, protocol, iface, maxPacketSize);
    }

    // ----------------------------------------------------------------------------------------
    // Descriptors

    @Override
    public void addReader(ReadDescriptor reader) {
        if (readers.add(Objects.requireNonNull(reader, "reader"))) {
            SelectionKey key = keyFor(reader.channel());
            registration(key).reader = reader;
            updateInterest(key);
        }
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        if (writers.add(Objects.requireNonNull(writer, "writer"))) {
            SelectionKey key = keyFor(writer.channel());
            registration(key).writer = writer;
            updateInterest(key);
        }
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        if (readers.remove(reader)) {
            SelectionKey key = reader.channel().keyFor(selector);
            if (key != null && key.isValid()) {
                Registration registration = registration(key);
                if (registration.reader == reader) {
                    registration.reader = null;
                }
                updateInterest(key);
            }
        }
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        if (writers.remove(writer)) {
            SelectionKey key = writer.channel().keyFor(selector);
            if (key != null && key.isValid()) {
                Registration registration = registration(key);
                if (registration.writer == writer) {
                    registration.writer = null;
                }
                updateInterest(key);
            }
        }
    }

    @Override
    public List<Descriptor> removeAll() {
        LinkedHashSet<Descriptor> all = new LinkedHashSet<>(readers);
        all.addAll(writers);
        for (ReadDescriptor reader : List.copyOf(readers)) {
            removeReader(reader);
        }
        for (WriteDescriptor writer : List.copyOf(writers)) {
            removeWriter(writer);
        }
        return new ArrayList<>(all);
    }

    @Override
    public List<ReadDescriptor> getReaders() {
        return List.copyOf(readers);
    }

    @Override
    public List<WriteDescriptor> getWriters() {
        return List.copyOf(writers);
    }

    /** The reader and writer watching one channel. */
    private static final class Registration {
        ReadDescriptor reader;
        WriteDescriptor writer;
    }

    private SelectionKey keyFor(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            return key;
        }
        try {
            if (key != null) {
                selector.selectNow(); // flushes the cancelled key so that the channel can register again
            }
            channel.configureBlocking(false);
            return channel.register(selector, 0, new Registration());
        } catch (IOException e) {
            throw new UncheckedIOException("could not watch " + channel, e);
        }
    }

    private static Registration registration(SelectionKey key) {
        return (Registration) key.attachment();
    }

    private static void updateInterest(SelectionKey key) {
        Registration registration = registration(key);
        SelectableChannel channel = key.channel();
        int ops = 0;
        if (registration.reader != null) {
            ops |= channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if (registration.writer != null) {
            ops |= channel instanceof SocketChannel socket && socket.isConnectionPending()
                    ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        }
        ops &= channel.validOps();
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Internal helpers for ports, connections and connectors

    void deferResolution(String host, java.util.function.Consumer<java.net.InetAddress> then,
            java.util.function.Consumer<Throwable> failed) {
        deferToThread(() -> Addresses.resolve(host)).addVoidCallbacks(address -> {
            then.accept(address);
        }, failure -> {
            failed.accept(failure.value());
        });
    }

    static CannotListenException cannotListen(String iface, int port, IOException cause) {
        return new CannotListenException(iface, port, cause);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
