package dev.twine.task;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Deferred;
import dev.twine.defer.ThrowingSupplier;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ReactorTime;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.apiguardian.api.API;

/**
 * Calls a function every interval on a {@link ReactorTime}: Twisted's {@code task.LoopingCall}.
 * Used on that clock's thread.
 *
 * <p>Calls keep to the grid {@code start + k × interval}: when a call (or the Deferred it
 * returned) finishes late, the next one runs at the next grid point, skipping the missed ones
 * ({@link #withCount} reports how many). A function that returns a Deferred is waited for before
 * the next call is scheduled. If the function throws or its Deferred fails, the loop stops and
 * {@link #start}'s Deferred fails with that error.
 */
@API(status = STABLE, since = "0.1")
public final class LoopingCall {
    private final ReactorTime clock;
    private final ThrowingSupplier<? extends Deferred<?>> work;

    private boolean running;
    private Deferred<LoopingCall> deferred;
    private DelayedCall call;
    private double interval;
    private double startTime;
    private boolean runAtStart;
    private double lastCountedTime = Double.NaN;

    /** A loop calling {@code work}, which returns when it is done. */
    public LoopingCall(ReactorTime clock, Runnable work) {
        this(clock, () -> {
            work.run();
            return null;
        });
        Objects.requireNonNull(work, "work");
    }

    /**
     * A loop calling {@code work}, which returns a Deferred to wait for before the next call (or
     * {@code null} when it is done at once).
     */
    public LoopingCall(ReactorTime clock, ThrowingSupplier<? extends Deferred<?>> work) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.work = Objects.requireNonNull(work, "work");
    }

    /**
     * A loop that calls {@code countCallable} with how many intervals have passed since its last
     * call (1 when on time, more when calls were skipped because it ran late; always 1 with a zero
     * interval).
     */
    public static LoopingCall withCount(ReactorTime clock, IntConsumer countCallable) {
        Objects.requireNonNull(countCallable, "countCallable");
        LoopingCall[] self = new LoopingCall[1];
        self[0] = new LoopingCall(clock, () -> self[0].count(countCallable));
        return self[0];
    }

    /** {@link #start(Duration, boolean)}, calling the function at once. */
    public Deferred<LoopingCall> start(Duration interval) {
        return start(interval, true);
    }

    /**
     * Starts the loop. The Deferred fires with this loop when it is {@linkplain #stop()
     * stopped}, or fails with the function's error. Cancelling it stops the loop and fails it with
     * {@link dev.twine.defer.CancelledException}.
     *
     * @param now whether the first call is now (else after one interval)
     * @throws IllegalStateException if it is already running
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public Deferred<LoopingCall> start(Duration interval, boolean now) {
        Objects.requireNonNull(interval, "interval");
        if (running) {
            throw new IllegalStateException("Tried to start an already running LoopingCall.");
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("LoopingCall interval must be >= 0, got " + interval);
        }
        running = true;
        Deferred<LoopingCall> started = new Deferred<>(self -> halt());
        deferred = started;
        startTime = clock.seconds();
        this.interval = interval.toNanos() / 1e9;
        runAtStart = now;
        lastCountedTime = Double.NaN;
        if (now) {
            callNow();
        } else {
            scheduleFrom(startTime);
        }
        return started;
    }

    /**
     * Stops the loop: no further call is made, and {@link #start}'s Deferred fires with this
     * loop (at once, or when a Deferred the function returned fires).
     *
     * @throws IllegalStateException if it is not running
     */
    public void stop() {
        if (!running) {
            throw new IllegalStateException("Tried to stop a LoopingCall that was not running.");
        }
        running = false;
        if (call != null) {
            call.cancel();
            call = null;
            finish();
        }
    }

    /**
     * Restarts the interval grid from now: the next call is one interval from now.
     *
     * @throws IllegalStateException if it is not running
     */
    public void reset() {
        if (!running) {
            throw new IllegalStateException("Tried to reset a LoopingCall that was not running.");
        }
        if (call != null) {
            call.cancel();
            call = null;
            startTime = clock.seconds();
            scheduleFrom(startTime);
        }
    }

    /** Whether the loop is running. */
    public boolean isRunning() {
        return running;
    }

    /** The interval given to {@link #start}, in seconds (0 before the first start). */
    public double intervalSeconds() {
        return interval;
    }

    private void halt() {
        running = false;
        if (call != null) {
            call.cancel();
            call = null;
        }
        deferred = null;
    }

    private void finish() {
        Deferred<LoopingCall> d = deferred;
        deferred = null;
        if (d != null) {
            d.callback(this);
        }
    }

    private void callNow() {
        call = null;
        Deferred.maybeDeferred(() -> {
            Deferred<?> result = work.get();
            return result != null ? result : Deferred.succeed(null);
        }).addVoidCallbacks(result -> {
            if (running) {
                scheduleFrom(clock.seconds());
            } else {
                finish();
            }
        }, failure -> {
            running = false;
            Deferred<LoopingCall> d = deferred;
            deferred = null;
            if (d != null) {
                d.errback(failure);
            }
        });
    }

    private void scheduleFrom(double when) {
        double delay;
        if (interval == 0) {
            delay = 0;
        } else {
            double runningFor = when - startTime;
            double untilNext = interval - (runningFor % interval);
            // Floating point: a "next" so close that it does not move time means a whole interval.
            delay = when == when + untilNext ? interval : untilNext;
        }
        call = clock.callLater(Duration.ofNanos(Math.round(delay * 1e9)), this::callNow);
    }

    private Deferred<?> count(IntConsumer countCallable) {
        double now = clock.seconds();
        if (interval == 0) {
            lastCountedTime = now;
            countCallable.accept(1);
            return null;
        }
        double last = lastCountedTime;
        if (Double.isNaN(last)) {
            last = startTime;
            if (runAtStart) {
                last -= interval;
            }
        }
        long count = intervalOf(now) - intervalOf(last);
        if (count > 0) {
            lastCountedTime = now;
            countCallable.accept((int) Math.min(Integer.MAX_VALUE, count));
        }
        return null;
    }

    private long intervalOf(double time) {
        return (long) Math.floor((time - startTime) / interval);
    }
}
