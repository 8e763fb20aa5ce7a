package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The bounds within which a {@link Simulation}'s seed chooses, and the limits of a run. Immutable:
 * each {@code with…} method returns a copy. {@link #defaults()} suits most tests.
 *
 * <p>The seed chooses, within these bounds: the latency of each segment on a link, how writes are
 * sliced into reads, the order of events due at the same instant on different hosts, and when
 * thread-pool work completes. The contract's fixed points are never chosen: delayed calls due at
 * the same time on one host run in the order scheduled, and bytes on a connection arrive in order.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SimulationOptions {
    private final long eventLimit;
    private final Duration timeLimit;
    private final Duration minLatency;
    private final Duration maxLatency;
    private final int maxSegment;
    private final int sendBufferHighWater;
    private final int receiveWindow;
    private final double udpDrop;
    private final double udpDuplicate;
    private final double udpReorder;
    private final Duration maxThreadWork;
    private final FaultPlan faults;
    private final boolean trace;

    private SimulationOptions(long eventLimit, Duration timeLimit, Duration minLatency, Duration maxLatency, int maxSegment,
            int sendBufferHighWater, int receiveWindow, double udpDrop, double udpDuplicate, double udpReorder,
            Duration maxThreadWork, FaultPlan faults, boolean trace) {
        if (eventLimit < 1) {
            throw new IllegalArgumentException("eventLimit must be positive, got " + eventLimit);
        }
        if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException("latency bounds must satisfy 0 <= min <= max, got " + minLatency + " and " + maxLatency);
        }
        if (maxSegment < 1 || sendBufferHighWater < 1 || receiveWindow < 1) {
            throw new IllegalArgumentException("segment, buffer and window sizes must be positive");
        }
        checkProbability(udpDrop, "udpDrop");
        checkProbability(udpDuplicate, "udpDuplicate");
        checkProbability(udpReorder, "udpReorder");
        this.eventLimit = eventLimit;
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
        this.minLatency = minLatency;
        this.maxLatency = maxLatency;
        this.maxSegment = maxSegment;
        this.sendBufferHighWater = sendBufferHighWater;
        this.receiveWindow = receiveWindow;
        this.udpDrop = udpDrop;
        this.udpDuplicate = udpDuplicate;
        this.udpReorder = udpReorder;
        this.maxThreadWork = Objects.requireNonNull(maxThreadWork, "maxThreadWork");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.trace = trace;
    }

    private static void checkProbability(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be a probability in [0, 1], got " + p);
        }
    }

    /**
     * 10 million events and one virtual day at most per run; link latency 50 µs to 5 ms; reads of
     * 1 to 16 KiB; a 64 KiB send-buffer mark and receive window; no UDP loss; pool work done within
     * 1 ms; no faults; no trace.
     */
    public static SimulationOptions defaults() {
        return new SimulationOptions(10_000_000, Duration.ofDays(1), Duration.ofNanos(50_000), Duration.ofMillis(5),
                16 * 1024, 64 * 1024, 64 * 1024, 0, 0, 0, Duration.ofMillis(1), FaultPlan.none(), false);
    }

    /** At most {@code limit} events (calls run) per {@code run…}; past it the run fails naming the seed. */
    public SimulationOptions withEventLimit(long limit) {
        return new SimulationOptions(limit, timeLimit, minLatency, maxLatency, maxSegment, sendBufferHighWater, receiveWindow,
                udpDrop, udpDuplicate, udpReorder, maxThreadWork, faults, trace);
    }

    /** Virtual time a run may reach; past it the run fails naming the seed. */
    public SimulationOptions withTimeLimit(Duration limit) {
        return new SimulationOptions(eventLimit, limit, minLatency, maxLatency, maxSegment, sendBufferHighWater, receiveWindow,
                udpDrop, udpDuplicate, udpReorder, maxThreadWork, faults, trace);
    }

    /** Each segment's one-way latency is chosen in [{@code min}, {@code max}]. */
    public SimulationOptions withLatency(Duration min, Duration max) {
        return new SimulationOptions(eventLimit, timeLimit, min, max, maxSegment, sendBufferHighWater, receiveWindow,
                udpDrop, udpDuplicate, udpReorder, maxThreadWork, faults, trace);
    }

    /** Reads are sliced into pieces of 1 to {@code bytes} bytes. */
    public SimulationOptions withMaxSegment(int bytes) {
        return new SimulationOptions(eventLimit, timeLimit, minLatency, maxLatency, bytes, sendBufferHighWater, receiveWindow,
                udpDrop, udpDuplicate, udpReorder, maxThreadWork, faults, trace);
    }

    /**
     * A streaming producer is paused when more than {@code bytes} wait in a connection's send
     * buffer, and the peer accepts at most {@code window} bytes it has not yet read.
     */
    public SimulationOptions withBuffers(int bytes, int window) {
        return new SimulationOptions(eventLimit, timeLimit, minLatency, maxLatency, maxSegment, bytes, window,
                udpDrop, udpDuplicate, udpReorder, maxThreadWork, faults, trace);
    }

    /** Each datagram is dropped, duplicated, or delayed past later ones with these probabilities. */
    public SimulationOptions withUdp(double drop, double duplicate, double reorder) {
        return new SimulationOptions(eventLimit, timeLimit, minLatency, maxLatency, maxSegment, sendBufferHighWater, receiveWindow,
                drop, duplicate, reorder, maxThreadWork, faults, trace);
    }

    /** Work given to {@code callInThread} completes within this much virtual time. */
    public SimulationOptions withMaxThreadWork(Duration max) {
        return new SimulationOptions(eventLimit, timeLimit, minLatency, maxLatency, maxSegment, sendBufferHighWater, receiveWindow,
                udpDrop, udpDuplicate, udpReorder, max, faults, trace);
    }

    /** The faults to inject. */
    public SimulationOptions withFaults(FaultPlan plan) {
        return new SimulationOptions(eventLimit, timeLimit, minLatency, maxLatency, maxSegment, sendBufferHighWater, receiveWindow,
                udpDrop, udpDuplicate, udpReorder, maxThreadWork, plan, trace);
    }

    /** Whether to keep the event trace ({@link Simulation#trace()}); it costs time, so it is off by default. */
    public SimulationOptions withTrace(boolean enabled) {
        return new SimulationOptions(eventLimit, timeLimit, minLatency, maxLatency, maxSegment, sendBufferHighWater, receiveWindow,
                udpDrop, udpDuplicate, udpReorder, maxThreadWork, faults, enabled);
    }

    /** The most events a run may take. */
    public long eventLimit() {
        return eventLimit;
    }

    /** The virtual time a run may reach. */
    public Duration timeLimit() {
        return timeLimit;
    }

    /** The least one-way latency. */
    public Duration minLatency() {
        return minLatency;
    }

    /** The greatest one-way latency (before faults). */
    public Duration maxLatency() {
        return maxLatency;
    }

    /** The largest read. */
    public int maxSegment() {
        return maxSegment;
    }

    /** The send-buffer mark above which a streaming producer is paused. */
    public int sendBufferHighWater() {
        return sendBufferHighWater;
    }

    /** The receive window: bytes a peer accepts before its protocol has read them. */
    public int receiveWindow() {
        return receiveWindow;
    }

    /** The probability a datagram is dropped. */
    public double udpDrop() {
        return udpDrop;
    }

    /** The probability a datagram is delivered twice. */
    public double udpDuplicate() {
        return udpDuplicate;
    }

    /** The probability a datagram is delayed past later ones. */
    public double udpReorder() {
        return udpReorder;
    }

    /** How long pool work may take, in virtual time. */
    public Duration maxThreadWork() {
        return maxThreadWork;
    }

    /** The faults injected. */
    public FaultPlan faults() {
        return faults;
    }

    /** Whether the event trace is kept. */
    public boolean trace() {
        return trace;
    }

    @Override
    public String toString() {
        return "SimulationOptions[eventLimit=" + eventLimit + ", timeLimit=" + timeLimit + ", latency=" + minLatency + ".."
                + maxLatency + ", maxSegment=" + maxSegment + ", sendBufferHighWater=" + sendBufferHighWater + ", receiveWindow="
                + receiveWindow + ", udp drop/duplicate/reorder=" + udpDrop + "/" + udpDuplicate + "/" + udpReorder
                + ", maxThreadWork=" + maxThreadWork + ", faults=" + faults + ", trace=" + trace + "]";
    }
}
