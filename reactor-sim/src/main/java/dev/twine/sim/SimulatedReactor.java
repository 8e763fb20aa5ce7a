package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
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
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorAlreadyRunningException;
import dev.twine.reactor.ReactorNotRestartableException;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.reactor.ReactorUDP;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import dev.twine.reactor.support.SystemEventTriggers;
import dev.twine.reactor.support.TimerQueue;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.apiguardian.api.API;

/**
 * A host of a {@link Simulation}: a reactor with its own simulated IPv4 address (such as {@code
 * 10.0.0.1}, a name inside the simulation only; nothing ever touches a real socket). It implements
 * core, time, threads, TCP and UDP as the contract in {@code reactor-api} says, over the
 * simulation's network and on its virtual clock.
 *
 * <p><b>Running.</b> The simulation runs its hosts: each host starts (fires {@code startup}) at
 * the simulation's first step, and runs until it is stopped. Its {@link #run()} runs the whole
 * simulation until this host stops, or until nothing is left to happen; {@link #stop()} fires
 * {@code shutdown} and then closes its ports and connections; {@link #crash()} stops the host without
 * shutdown (its events wait until it runs again); {@link #iterate} runs one step of the simulation.
 *
 * <p><b>Threads.</b> Every method is called on the simulation's thread, except {@link
 * #callFromThread} and {@link #isInIOThread}; any other call from another thread throws {@link
 * IllegalStateException}, because it would make the run depend on thread timing. For the same
 * reason {@link #callInThread} and {@link #deferToThread} do not use other threads: the work runs on
 * the simulation's thread, at a virtual time within {@link SimulationOptions#maxThreadWork()} that
 * the seed chooses, and a {@code deferToThread} Deferred fires in the pass after. Work that blocks
 * therefore blocks the whole simulation, and {@link #blockingCallFromThread} from such work throws
 * (it is on the reactor thread).
 *
 * <p><b>The network.</b> Each segment has a latency the seed chooses within the options' bounds;
 * writes are sliced into reads as the seed chooses; bytes on a connection arrive in order. A
 * connection's receiver accepts at most {@link SimulationOptions#receiveWindow()} unread bytes, so
 * a host that stops reading (pauses its transport, or a {@link Fault.Kind#STALL} fault) stalls its
 * peer's sends, and a streaming producer on the peer is paused once more than {@link
 * SimulationOptions#sendBufferHighWater()} bytes wait in its send buffer and resumed once they
 * have all been sent. Datagrams are dropped, duplicated and reordered with the options'
 * probabilities. The {@link FaultPlan} adds the rest.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SimulatedReactor implements Reactor, ReactorUDP {
    enum State { NEW, RUNNING, STOPPING, STOPPED, CRASHED }

    private final Simulation sim;
    private final String name;
    private final String address;
    private final TimerQueue timers;
    private final EventQueue io = new EventQueue();
    private final ArrayDeque<Runnable> calls = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> foreign = new ConcurrentLinkedQueue<>();
    private final SystemEventTriggers triggers = new SystemEventTriggers();
    final List<SimConnection> connections = new ArrayList<>();
    final Map<Integer, SimPort> tcpPorts = new HashMap<>();
    final Map<Integer, SimUdpPort> udpPorts = new HashMap<>();
    final List<SimConnector> connectors = new ArrayList<>();
    private State state = State.NEW;
    private boolean started;
    private int nextPort = 40000;
    private int nextEphemeral = 50000;
    private int poolSize = 10;
    // live mode (the sim provider) only
    private LivePool pool;
    private volatile Thread loopThread;
    private volatile boolean waiting;

    SimulatedReactor(Simulation sim, String name, String address) {
        this.sim = sim;
        this.name = name;
        this.address = address;
        this.timers = new TimerQueue(sim::nanoTime);
        if (sim.isLive()) {
            loopThread = Thread.currentThread();
        }
        // Running from startup's during phase on: its before triggers see a reactor not yet running.
        triggers.add(Phase.DURING, STARTUP, () -> {
            started = true;
            return null;
        });
    }

    /** The host's name in its simulation. */
    public String name() {
        return name;
    }

    /** The host's simulated IPv4 address. */
    public String address() {
        return address;
    }

    /** The simulation the host belongs to. */
    public Simulation simulation() {
        return sim;
    }

    @Override
    public String toString() {
        return "SimulatedReactor[" + name + " " + address + " " + state + "]";
    }

    // ------------------------------------------------------------------------------------------
    // The host's part of the simulation loop

    boolean startPending() {
        return state == State.NEW && !sim.isLive();
    }

    boolean isActiveInSimulation() {
        return state == State.RUNNING || state == State.STOPPING;
    }

    /** When this host next has something to do: now if calls wait, else its earliest timer or event. */
    long nextTime() {
        if (!calls.isEmpty() || !foreign.isEmpty()) {
            return sim.nanoTime();
        }
        return Math.min(timers.nextDueNanos(), io.nextDue());
    }

    /** One pass: the due timers, the due network events, then the calls queued before the pass. */
    int pass() {
        long now = sim.nanoTime();
        int ran = 0;
        Runnable call;
        while ((call = foreign.poll()) != null) {
            calls.add(call);
        }
        int queued = calls.size();
        ran += timers.runDue(false, (delayed, error) -> logError(error, "Unhandled error in a delayed call:"));
        long mark = io.mark();
        EventQueue.Event event;
        while (state != State.STOPPED && (event = io.pollDue(now, mark)) != null) {
            ran++;
            try {
                event.action.run();
            } catch (Throwable e) {
                logError(e, "Unhandled error in the simulated network of " + name + ":");
            }
        }
        for (int i = 0; i < queued && !calls.isEmpty(); i++) {
            ran++;
            Runnable next = calls.poll();
            if (sim.tracing()) {
                sim.trace(this, "call");
            }
            try {
                next.run();
            } catch (Throwable e) {
                logError(e, "Unhandled error in a callFromThread call:");
            }
        }
        return ran;
    }

    /** Schedules an internal event at {@code due} nanoseconds of virtual time (never before now). */
    void io(long due, Runnable action) {
        io.add(Math.max(due, sim.nanoTime()), action);
        if (waiting) {
            LockSupport.unpark(loopThread);
        }
    }

    /** Schedules an internal event now: it runs in this pass or the next. */
    void soon(Runnable action) {
        io(sim.nanoTime(), action);
    }

    Simulation sim() {
        return sim;
    }

    void start() {
        state = State.RUNNING;
        if (sim.tracing()) {
            sim.trace(this, "startup");
        }
        if (sim.isLive()) {
            pool().start(poolSize);
        }
        triggers.fire(STARTUP);
    }

    void logError(Throwable error, String why) {
        if (sim.tracing()) {
            sim.trace(this, "error " + error.getClass().getSimpleName());
        }
        ErrorLog.current().err(new Failure(error), why);
    }

    void checkThread() {
        if (!sim.isLive()) {
            sim.checkThread();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Core

    /**
     * Starts the host if it has not started, then runs the simulation until this host stops or
     * crashes, or nothing is left to happen. (In a simulation, hosts also start and run when the
     * simulation is run; this method is for code that runs its reactor itself.)
     *
     * @throws ReactorAlreadyRunningException if it is running
     * @throws ReactorNotRestartableException if it has been stopped
     */
    @Override
    public void run() {
        checkThread();
        if (state == State.RUNNING || state == State.STOPPING) {
            throw new ReactorAlreadyRunningException();
        }
        if (state == State.STOPPED) {
            throw new ReactorNotRestartableException();
        }
        if (sim.isLive()) {
            runLive();
            return;
        }
        if (state == State.NEW) {
            start();
        } else {
            state = State.RUNNING;
        }
        sim.runUntilTime(Long.MAX_VALUE, () -> !isActiveInSimulation());
    }

    private void runLive() {
        loopThread = Thread.currentThread();
        boolean again = state == State.CRASHED;
        state = State.RUNNING;
        if (!again) {
            pool().start(poolSize);
            triggers.fire(STARTUP);
        }
        while (isActiveInSimulation()) {
            liveIteration(Long.MAX_VALUE);
        }
    }

    /** Runs a pass if something is due, else waits until something is (or {@code maxWaitNanos}) and runs it. */
    private void liveIteration(long maxWaitNanos) {
        long now = sim.nanoTime();
        long next = nextTime();
        if (next > now) {
            long wait = Math.min(next - now, maxWaitNanos);
            if (wait > 0) {
                waiting = true;
                if (foreign.isEmpty()) {
                    LockSupport.parkNanos(this, Math.min(wait, 1_000_000_000L));
                }
                waiting = false;
            }
            if (nextTime() > sim.nanoTime()) {
                return;
            }
        }
        sim.countEvents(pass());
    }

    @Override
    public void stop() {
        checkThread();
        if (state != State.RUNNING || !started) {
            throw new ReactorNotRunningException();
        }
        state = State.STOPPING;
        if (sim.tracing()) {
            sim.trace(this, "stop");
        }
        callFromThread(() -> triggers.fire(SHUTDOWN).addBoth((ignored, failure) -> {
            if (failure != null) {
                logError(failure.value(), "Unhandled error in shutdown:");
            }
            finishStop();
            return null;
        }));
    }

    private void finishStop() {
        for (SimConnector connector : new ArrayList<>(connectors)) {
            connector.dropped(new ConnectionLost());
        }
        for (SimConnection connection : new ArrayList<>(connections)) {
            try {
                connection.close(new ConnectionLost(), true);
            } catch (Throwable e) {
                logError(e, "Unhandled error in a connection closed at shutdown:");
            }
        }
        for (SimPort port : new ArrayList<>(tcpPorts.values())) {
            port.close();
        }
        for (SimUdpPort port : new ArrayList<>(udpPorts.values())) {
            port.close();
        }
        state = State.STOPPED;
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public void crash() {
        checkThread();
        if (state == State.RUNNING || state == State.STOPPING) {
            state = State.CRASHED;
        }
    }

    /**
     * In a simulation, runs one step of it ({@link Simulation#step()}), without waiting: virtual time
     * jumps to the next event. For the {@code sim} provider's reactor, runs what is due, waiting at
     * most {@code maxWait} for something to become due.
     */
    @Override
    public void iterate(Duration maxWait) {
        checkThread();
        if (sim.isLive()) {
            long wait;
            try {
                wait = maxWait.toNanos();
            } catch (ArithmeticException e) {
                wait = Long.MAX_VALUE;
            }
            Thread previous = loopThread;
            loopThread = Thread.currentThread();
            try {
                liveIteration(Math.max(0, wait));
            } finally {
                loopThread = previous;
            }
            return;
        }
        if (state == State.NEW) {
            start();
        }
        sim.step();
    }

    @Override
    public boolean isRunning() {
        return started && (state == State.RUNNING || state == State.STOPPING);
    }

    @Override
    public void callWhenRunning(Runnable callable) {
        checkThread();
        Objects.requireNonNull(callable, "callable");
        if (isRunning()) {
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
        checkThread();
        return triggers.add(phase, eventType, trigger);
    }

    @Override
    public void removeSystemEventTrigger(TriggerHandle handle) {
        checkThread();
        triggers.remove(handle);
    }

    @Override
    public void fireSystemEvent(String eventType) {
        checkThread();
        triggers.fire(eventType);
    }

    // ------------------------------------------------------------------------------------------
    // Time

    @Override
    public DelayedCall callLater(Duration delay, Runnable callable) {
        checkThread();
        Runnable traced = sim.tracing() ? () -> {
            sim.trace(this, "timer");
            callable.run();
        } : callable;
        DelayedCall call = timers.schedule(delay, traced);
        if (waiting) {
            LockSupport.unpark(loopThread);
        }
        return call;
    }

    @Override
    public double seconds() {
        return sim.nanoTime() / 1e9;
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        checkThread();
        return timers.pending();
    }

    // ------------------------------------------------------------------------------------------
    // Threads

    /**
     * Runs {@code callable} on the simulation's thread in the host's next pass, in the order calls
     * were made. From the simulation's own thread this is deterministic; from another thread the
     * call runs at a step that depends on timing.
     */
    @Override
    public void callFromThread(Runnable callable) {
        Objects.requireNonNull(callable, "callable");
        if (sim.isLive() ? Thread.currentThread() == loopThread : sim.isOwner()) {
            calls.add(callable);
        } else {
            foreign.add(callable);
            if (waiting) {
                LockSupport.unpark(loopThread);
            }
        }
    }

    /**
     * In a simulation: runs {@code work} on the simulation's thread at a virtual time the seed
     * chooses, within {@link SimulationOptions#maxThreadWork()}; an exception it throws goes to the
     * error log. (The {@code sim} provider's reactor runs it on a real pool thread.)
     */
    @Override
    public void callInThread(Runnable work) {
        checkThread();
        Objects.requireNonNull(work, "work");
        if (sim.isLive()) {
            pool().submit(work, ErrorLog.current());
            return;
        }
        long max = sim.options().maxThreadWork().toNanos();
        long delay = max > 0 ? sim.random().nextLong(max + 1) : 0;
        io(sim.nanoTime() + delay, () -> {
            if (sim.tracing()) {
                sim.trace(this, "thread work");
            }
            try {
                work.run();
            } catch (Throwable e) {
                logError(e, "Unhandled error in a callInThread call:");
            }
        });
    }

    @Override
    public void suggestThreadPoolSize(int size) {
        checkThread();
        if (size < 1) {
            throw new IllegalArgumentException("the thread pool needs at least 1 thread, got " + size);
        }
        poolSize = size;
        if (pool != null) {
            pool.resize(size);
        }
    }

    @Override
    public boolean isInIOThread() {
        return sim.isLive() ? Thread.currentThread() == loopThread : sim.isOwner();
    }

    private LivePool pool() {
        if (pool == null) {
            pool = new LivePool(name);
        }
        return pool;
    }

    // ------------------------------------------------------------------------------------------
    // TCP

    @Override
    public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
        checkThread();
        checkPort(port);
        Objects.requireNonNull(factory, "factory");
        String bound = bindAddress(iface, port);
        if (port == 0) {
            port = freePort(tcpPorts);
        } else if (tcpPorts.containsKey(port)) {
            throw new CannotListenException(iface, port, new BindException("Address already in use (simulated host " + name + ")"));
        }
        SimPort listening = new SimPort(this, port, factory, bound);
        tcpPorts.put(port, listening);
        if (sim.tracing()) {
            sim.trace(this, "listen tcp " + port);
        }
        factory.doStart();
        return listening;
    }

    @Override
    public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout, InetSocketAddress bindAddress) {
        checkThread();
        checkPort(port);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(factory, "factory");
        SimConnector connector = new SimConnector(this, host, port, factory, timeout);
        connector.connect();
        return connector;
    }

    // ------------------------------------------------------------------------------------------
    // UDP

    @Override
    public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        checkThread();
        checkPort(port);
        Objects.requireNonNull(protocol, "protocol");
        String bound = bindAddress(iface, port);
        if (port == 0) {
            port = freePort(udpPorts);
        } else if (udpPorts.containsKey(port)) {
            throw new CannotListenException(iface, port, new BindException("Address already in use (simulated host " + name + ")"));
        }
        SimUdpPort udp = new SimUdpPort(this, port, protocol, bound, maxPacketSize);
        udpPorts.put(port, udp);
        try {
            protocol.makeConnection(udp);
        } catch (Throwable e) {
            logError(e, "Unhandled error in " + protocol.getClass().getName() + " (startProtocol):");
        }
        return udp;
    }

    private String bindAddress(String iface, int port) {
        String i = iface == null ? "" : iface.strip();
        if (i.isEmpty() || i.equals("0.0.0.0")) {
            return "0.0.0.0";
        }
        if (i.equals(address) || i.equals("127.0.0.1") || i.equals("localhost") || i.equals(name)) {
            return i.equals("localhost") ? "127.0.0.1" : i.equals(name) ? address : i;
        }
        throw new CannotListenException(iface, port, new BindException("Cannot assign requested address: simulated host "
                + name + " has only " + address + " and 127.0.0.1 (no IPv6)"));
    }

    private int freePort(Map<Integer, ?> used) {
        while (used.containsKey(nextPort)) {
            nextPort = nextPort >= 65535 ? 40000 : nextPort + 1;
        }
        return nextPort++;
    }

    int ephemeralPort() {
        nextEphemeral = nextEphemeral >= 65535 ? 50000 : nextEphemeral + 1;
        return nextEphemeral;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Faults

    /** A {@link Fault.Kind#CRASH}: every connection of this host is reset, both ends hear it. */
    void crashConnections(Fault fault) {
        if (sim.tracing()) {
            sim.trace(this, "crash");
        }
        for (SimConnection connection : new ArrayList<>(connections)) {
            connection.reset(new ConnectionLost("simulated host " + name + " crashed (" + fault + ")", null));
        }
    }

    /** The end of a {@link Fault.Kind#STALL}: connections read what waits for them. */
    void resumeAllReading() {
        for (SimConnection connection : new ArrayList<>(connections)) {
            connection.readBuffered();
        }
    }

    /** Whether the host reads its connections now (no stall fault in force). */
    boolean reading() {
        return !sim.active(Fault.Kind.STALL, this);
    }

    /** Whether connection attempts to this host are refused now. */
    boolean refusing() {
        return sim.active(Fault.Kind.REFUSE, this);
    }

    /**
     * What this host still holds that a finished test should have released, one line per kind:
     * pending delayed calls, listening TCP and UDP ports, open connections. Empty when clean: the
     * janitor's check for a simulated host.
     */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        List<DelayedCall> pending = getDelayedCalls();
        if (!pending.isEmpty()) {
            left.add("host " + name + ": " + pending.size() + " delayed call(s) still pending");
        }
        if (!tcpPorts.isEmpty()) {
            left.add("host " + name + ": still listening on TCP port(s) " + new java.util.TreeSet<>(tcpPorts.keySet()));
        }
        if (!udpPorts.isEmpty()) {
            left.add("host " + name + ": still listening on UDP port(s) " + new java.util.TreeSet<>(udpPorts.keySet()));
        }
        if (!connections.isEmpty()) {
            List<String> peers = new ArrayList<>();
            for (SimConnection c : connections) {
                peers.add(String.valueOf(c.getPeer()));
            }
            left.add("host " + name + ": " + connections.size() + " connection(s) still open, to " + peers);
        }
        return left;
    }

}
