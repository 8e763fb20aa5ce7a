package dev.twine.task;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ReactorTime;
import dev.twine.reactor.support.TimerQueue;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Deterministic time: Twisted's {@code task.Clock}. Time starts at 0 and moves only when {@link
 * #advance} is called, which runs every call that has come due, in order (equal times in the
 * order scheduled), including calls those calls schedule that are already due. Inject it where
 * code takes a {@link ReactorTime} and time-dependent tests run instantly.
 *
 * <p>Unlike a reactor, a Clock does not catch: an exception thrown by a delayed call propagates
 * out of {@code advance}, failing the test that called it; the calls not yet run stay scheduled.
 * Not thread-safe.
 */
@API(status = STABLE, since = "0.1")
public final class Clock implements ReactorTime {
    private long nowNanos;
    private final TimerQueue calls = new TimerQueue(() -> nowNanos);

    @Override
    public DelayedCall callLater(Duration delay, Runnable callable) {
        return calls.schedule(delay, callable);
    }

    @Override
    public double seconds() {
        return nowNanos / 1e9;
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return calls.pending();
    }

    /**
     * Moves time forward by {@code amount} and runs the calls that have come due.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public void advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time cannot go backwards: advance(" + amount + ")");
        }
        nowNanos = Math.addExact(nowNanos, amount.toNanos());
        calls.runDue(true, (call, error) -> {
            throw Clock.<RuntimeException>rethrow(error);
        });
    }

    /** Runs the calls due now without moving time (as {@code advance(Duration.ZERO)}). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Advances by each of {@code timings} in turn (Twisted's {@code pump}). */
    public void pump(List<Duration> timings) {
        for (Duration timing : timings) {
            advance(timing);
        }
    }

    /** Advances by each of {@code timings} in turn. */
    public void pump(Duration... timings) {
        pump(List.of(timings));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException rethrow(Throwable error) throws E {
        throw (E) error;
    }
}
