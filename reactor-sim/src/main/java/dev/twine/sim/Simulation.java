package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * A deterministic simulation: a virtual clock, a random source seeded with one number, and a
 * network of {@link SimulatedReactor} hosts that talk TCP and UDP to each other over simulated
 * links. Nothing is sent on a real network and nothing sleeps: the simulation jumps from one event
 * to the next. A run is a pure function of its seed (and options): the same seed reproduces the
 * same run, event for event ({@link #trace()} shows them).
 *
 * <pre>{@code
 * Simulation sim = new Simulation(seed);
 * SimulatedReactor server = sim.host("server");           // address 10.0.0.1
 * SimulatedReactor client = sim.host("client");           // address 10.0.0.2
 * server.listenTCP(8000, ProtocolFactory.forProtocol(Echo::new));
 * client.connectTCP("server", 8000, myClientFactory);
 * sim.run();                                              // until nothing is left to happen
 * }</pre>
 *
 * <p>A simulation and its hosts are used from one thread: the thread that created it, or the one
 * that calls its {@code run…} methods. Another thread may only call {@link
 * SimulatedReactor#callFromThread} (whose calls then run at a point that depends on timing; a
 * deterministic test makes none). Any other call from another thread throws {@link
 * IllegalStateException}, except from an {@code inlineCallbacks} body while that thread has handed
 * it control ({@link dev.twine.defer.InlineCallbacks#controllingThread()}): the two never run at
 * the same time.
 *
 * <p>A run that never becomes idle (a {@code LoopingCall} that runs forever, a protocol that
 * answers every message with another) is stopped by the {@linkplain SimulationOptions#eventLimit()
 * event limit} or the {@linkplain SimulationOptions#timeLimit() virtual-time limit}: {@code run()}
 * then throws a {@link SimulationFailure} naming the seed, instead of spinning.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Simulation {
    private final long seed;
    private final SimulationOptions options;
    private final SplittableRandom random;
    private final boolean live;
    private final long liveOrigin;
    private final List<SimulatedReactor> hosts = new ArrayList<>();
    private final Map<String, SimulatedReactor> byName = new HashMap<>();
    private final Map<String, SimulatedReactor> byAddress = new HashMap<>();
    private final List<SimulatedReactor> ready = new ArrayList<>();
    private final List<String> trace;
    private final StringBuilder line = new StringBuilder(96);
    private volatile Thread owner;
    private long now;
    private long events;
    private boolean faultsScheduled;
    private int nextConnectionId = 1;

    /** A simulation of {@code seed} with {@link SimulationOptions#defaults()}. */
    public Simulation(long seed) {
        this(seed, SimulationOptions.defaults());
    }

    /** A simulation of {@code seed} with {@code options}. */
    public Simulation(long seed, SimulationOptions options) {
        this(seed, options, false);
    }

    private Simulation(long seed, SimulationOptions options, boolean live) {
        this.seed = seed;
        this.options = Objects.requireNonNull(options, "options");
        this.random = new SplittableRandom(seed);
        this.live = live;
        this.liveOrigin = System.nanoTime();
        this.trace = options.trace() ? new ArrayList<>() : null;
        this.owner = live ? null : Thread.currentThread();
    }

    /**
     * A simulation whose one host is run like a real reactor (by the {@code sim} provider): its
     * clock is the wall clock, its {@code run()} blocks and waits for calls from other threads, and
     * its thread pool is made of real threads. Not deterministic.
     */
    static Simulation live() {
        return new Simulation(0, SimulationOptions.defaults(), true);
    }

    /** The seed that decides every choice of this simulation. */
    public long seed() {
        return seed;
    }

    /** The options it runs with. */
    public SimulationOptions options() {
        return options;
    }

    /** The faults it injects. */
    public FaultPlan faults() {
        return options.faults();
    }

    /**
     * The host called {@code name}, made on first use with the next free address ({@code
     * 10.0.0.1}, {@code 10.0.0.2}, …). Other hosts reach it by that name or address; {@code
     * localhost} and {@code 127.0.0.1} on a host are the host itself.
     */
    public SimulatedReactor host(String name) {
        checkThread();
        SimulatedReactor existing = byName.get(Objects.requireNonNull(name, "name"));
        if (existing != null) {
            return existing;
        }
        int n = hosts.size() + 1;
        return host(name, "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255));
    }

    /**
     * A new host called {@code name} with IPv4 address {@code address}.
     *
     * @throws IllegalArgumentException if the name or the address is taken
     */
    public SimulatedReactor host(String name, String address) {
        checkThread();
        if (byName.containsKey(name) || byAddress.containsKey(address)) {
            throw new IllegalArgumentException("a host called " + name + " or at " + address + " exists already");
        }
        SimulatedReactor host = new SimulatedReactor(this, name, address);
        hosts.add(host);
        byName.put(name, host);
        byAddress.put(address, host);
        return host;
    }

    /** The hosts, in the order they were made. */
    public List<SimulatedReactor> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    /** The virtual time since the simulation began. */
    public Duration now() {
        return Duration.ofNanos(nanoTime());
    }

    /** How many events (calls, deliveries, timers) have run so far. */
    public long events() {
        return events;
    }

    /**
     * The event trace, one line per event, if {@link SimulationOptions#withTrace(boolean)} enabled
     * it (else empty): two runs of the same seed give the same lines, byte for byte.
     */
    public List<String> trace() {
        return trace == null ? List.of() : Collections.unmodifiableList(trace);
    }

    /** Runs until nothing is left to happen: no host has a call due, ever. */
    public void run() {
        runUntilTime(Long.MAX_VALUE, null);
    }

    /** Runs the events due within {@code duration} from now, then sets the clock to now + duration. */
    public void runFor(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot run for a negative time: " + duration);
        }
        long end = now + duration.toNanos();
        runUntilTime(end, null);
        if (now < end) {
            now = end;
        }
    }

    /**
     * Runs until {@code result} has fired, and returns its value or throws its failure (the
     * original exception, unchecked as {@link Failure#raiseException()} makes it).
     *
     * @throws SimulationFailure if the simulation became idle before it fired, or hit a limit
     */
    public <T> T runUntil(Deferred<T> result) {
        Object[] outcome = new Object[2];
        result.addBoth((value, failure) -> {
            outcome[0] = value;
            outcome[1] = failure == null ? "ok" : failure;
            return null;
        });
        runUntilTime(Long.MAX_VALUE, () -> outcome[1] != null);
        if (outcome[1] == null) {
            throw failure("the simulation became idle at " + Fault.text(now()) + " before the Deferred it waited for fired",
                    null);
        }
        if (outcome[1] instanceof Failure failure) {
            throw failure.raiseException();
        }
        @SuppressWarnings("unchecked")
        T value = (T) outcome[0];
        return value;
    }

    /**
     * Runs one step: every host with something due at the next instant runs its due events once,
     * hosts in an order the seed chooses. Returns false if nothing was left to happen.
     */
    public boolean step() {
        checkThread();
        return stepBefore(Long.MAX_VALUE);
    }

    /**
     * A failure of this run: {@code what} went wrong, with the seed and fault plan that replay it.
     * For a test's own checks inside a seed loop.
     */
    public SimulationFailure failure(String what, Throwable cause) {
        return failure(seed, options.faults(), what, cause);
    }

    /**
     * A failure of the run of {@code seed}: the message says {@code what} went wrong and how to
     * replay it ({@code new Simulation(seed, …)}, or {@code -Dtwine.sim.seed=seed} where a seed loop
     * reads it).
     */
    public static SimulationFailure failure(long seed, FaultPlan faults, String what, Throwable cause) {
        StringBuilder message = new StringBuilder("simulation seed=").append(seed);
        if (faults != null && !faults.isEmpty()) {
            message.append(" faults=[").append(faults).append(']');
        }
        message.append(" failed: ").append(what);
        if (cause != null && !what.contains(String.valueOf(cause.getMessage()))) {
            message.append(": ").append(cause);
        }
        message.append(System.lineSeparator()).append("  replay: new Simulation(").append(seed)
                .append("L, ...) or -Dtwine.sim.seed=").append(seed);
        return new SimulationFailure(seed, message.toString(), cause);
    }

    // ------------------------------------------------------------------------------------------
    // The loop

    void runUntilTime(long end, java.util.function.BooleanSupplier done) {
        claimThread();
        while (done == null || !done.getAsBoolean()) {
            if (!stepBefore(end)) {
                return;
            }
        }
    }

    /** Runs every host with something due at the next instant, if that instant is at or before {@code end}. */
    private boolean stepBefore(long end) {
        scheduleFaults();
        long next = Long.MAX_VALUE;
        for (int i = 0, n = hosts.size(); i < n; i++) {
            SimulatedReactor host = hosts.get(i);
            if (host.startPending()) {
                host.start();
            }
            if (host.isActiveInSimulation()) {
                next = Math.min(next, host.nextTime());
            }
        }
        if (next == Long.MAX_VALUE || next > end) {
            return false;
        }
        if (next > now) {
            now = next;
        }
        if (events > options.eventLimit()) {
            throw failure("it did not become idle within " + options.eventLimit() + " events (virtual time "
                    + Fault.text(now()) + "): something reschedules itself forever, such as a LoopingCall never stopped; "
                    + "raise SimulationOptions.withEventLimit if the run is merely long", null);
        }
        if (now > options.timeLimit().toNanos()) {
            throw failure("it did not become idle within " + Fault.text(options.timeLimit())
                    + " of virtual time (" + events + " events): something reschedules itself forever, such as a "
                    + "LoopingCall never stopped; raise SimulationOptions.withTimeLimit if the run is merely long", null);
        }
        ready.clear();
        for (int i = 0, n = hosts.size(); i < n; i++) {
            SimulatedReactor host = hosts.get(i);
            if (host.isActiveInSimulation() && host.nextTime() <= now) {
                ready.add(host);
            }
        }
        for (int i = ready.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            SimulatedReactor swap = ready.get(i);
            ready.set(i, ready.get(j));
            ready.set(j, swap);
        }
        for (int i = 0, n = ready.size(); i < n; i++) {
            SimulatedReactor host = ready.get(i);
            if (host.isActiveInSimulation()) {
                events += host.pass();
            }
        }
        return true;
    }

    private void scheduleFaults() {
        if (faultsScheduled) {
            return;
        }
        faultsScheduled = true;
        for (Fault fault : options.faults().faults()) {
            if (fault.kind() == Fault.Kind.CRASH || fault.kind() == Fault.Kind.STALL) {
                for (SimulatedReactor host : hosts) {
                    if (fault.concerns(host.name())) {
                        if (fault.kind() == Fault.Kind.CRASH) {
                            host.io(fault.at().toNanos(), () -> host.crashConnections(fault));
                        } else if (fault.endNanos() != Long.MAX_VALUE) {
                            host.io(fault.endNanos(), host::resumeAllReading);
                        }
                    }
                }
            }
        }
    }

    /** Makes the calling thread the simulation's, unless another is running it. */
    private void claimThread() {
        if (!live) {
            owner = Thread.currentThread();
        }
    }

    void checkThread() {
        Thread o = owner;
        if (o != null && o != Thread.currentThread() && !isHandedControlBy(o)) {
            throw new IllegalStateException("the simulation of seed " + seed + " runs on thread '" + o.getName()
                    + "', but '" + Thread.currentThread().getName() + "' used it. Only callFromThread may be called from "
                    + "another thread: anything else would make the run depend on thread timing.");
        }
    }

    boolean isOwner() {
        return owner == Thread.currentThread();
    }

    /**
     * Whether the calling thread is an {@code inlineCallbacks} body to which {@code thread} handed
     * control: the two never run at the same time, so the body may use the simulation in its stead
     * (the tutorial's clients 7.0 and 8.0 call connectTCP from their bodies).
     */
    private static boolean isHandedControlBy(Thread thread) {
        return dev.twine.defer.InlineCallbacks.controllingThread() == thread;
    }

    // ------------------------------------------------------------------------------------------
    // Choices and the network, for the hosts

    boolean isLive() {
        return live;
    }

    long nanoTime() {
        return live ? System.nanoTime() - liveOrigin : now;
    }

    void countEvents(int n) {
        events += n;
    }

    SplittableRandom random() {
        return random;
    }

    int nextConnectionId() {
        return nextConnectionId++;
    }

    SimulatedReactor resolve(String host, SimulatedReactor from) {
        if (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("0.0.0.0") || host.equals(from.name())
                || host.equals(from.address())) {
            return from;
        }
        SimulatedReactor found = byAddress.get(host);
        return found != null ? found : byName.get(host);
    }

    static boolean isIpv4Literal(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** A one-way latency from {@code from} to {@code to} now, with spikes, in nanoseconds. */
    long latency(SimulatedReactor from, SimulatedReactor to) {
        long min = options.minLatency().toNanos();
        long max = options.maxLatency().toNanos();
        long latency = max > min ? min + random.nextLong(max - min + 1) : min;
        List<Fault> faults = options.faults().faults();
        for (int i = 0, n = faults.size(); i < n; i++) {
            Fault fault = faults.get(i);
            if (fault.kind() == Fault.Kind.SPIKE && (fault.concerns(from.name()) || fault.concerns(to.name()))
                    && fault.activeAt(now)) {
                latency += fault.extra().toNanos();
            }
        }
        return latency;
    }

    /**
     * When something sent now from {@code from} to {@code to} can start on its way: now, or the
     * end of a partition between them ({@link Long#MAX_VALUE} if it never heals).
     */
    long departure(SimulatedReactor from, SimulatedReactor to) {
        long t = nanoTime();
        if (from == to) {
            return t;
        }
        boolean moved = true;
        List<Fault> faults = options.faults().faults();
        while (moved) {
            moved = false;
            for (int i = 0, n = faults.size(); i < n; i++) {
                Fault fault = faults.get(i);
                if (fault.kind() == Fault.Kind.PARTITION && fault.activeAt(t) && fault.separates(from.name(), to.name())) {
                    t = fault.endNanos();
                    if (t == Long.MAX_VALUE) {
                        return t;
                    }
                    moved = true;
                }
            }
        }
        return t;
    }

    /** How many of {@code available} bytes the next segment from {@code from} to {@code to} carries. */
    int segment(SimulatedReactor from, SimulatedReactor to, int available) {
        if (active(Fault.Kind.TINY, from) || active(Fault.Kind.TINY, to)) {
            return 1;
        }
        int max = Math.min(available, options.maxSegment());
        return random.nextBoolean() ? max : 1 + random.nextInt(max);
    }

    boolean active(Fault.Kind kind, SimulatedReactor host) {
        List<Fault> faults = options.faults().faults();
        for (int i = 0, n = faults.size(); i < n; i++) {
            Fault fault = faults.get(i);
            if (fault.kind() == kind && fault.concerns(host.name()) && fault.activeAt(now)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes after which {@code host}'s side of a connection opened now is reset, or -1. */
    long resetAfter(SimulatedReactor host) {
        long limit = -1;
        for (Fault fault : options.faults().faults()) {
            if (fault.kind() == Fault.Kind.RESET && fault.concerns(host.name()) && fault.activeAt(now)) {
                limit = limit < 0 ? fault.bytes() : Math.min(limit, fault.bytes());
            }
        }
        return limit;
    }

    boolean tracing() {
        return trace != null;
    }

    void trace(SimulatedReactor host, String what) {
        if (trace == null) {
            return;
        }
        line.setLength(0);
        long t = nanoTime();
        String seconds = Long.toString(t / 1_000_000_000L);
        String fraction = Long.toString(1_000_000_000L + t % 1_000_000_000L).substring(1);
        line.append(seconds).append('.').append(fraction).append(' ').append(host == null ? "-" : host.name()).append(' ')
                .append(what);
        trace.add(line.toString());
    }

    /** {@link SimulatedReactor#leftovers()} of every host, in the order the hosts were made. */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        for (SimulatedReactor host : hosts) {
            left.addAll(host.leftovers());
        }
        return left;
    }

    @Override
    public String toString() {
        return "Simulation[seed=" + seed + ", now=" + Fault.text(now()) + ", events=" + events + ", hosts=" + hosts.size() + "]";
    }
}
