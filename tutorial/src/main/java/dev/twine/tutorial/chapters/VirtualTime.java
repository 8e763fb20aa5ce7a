package dev.twine.tutorial.chapters;

import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTime;
import dev.twine.task.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Time that jumps: a {@link Clock} that a running reactor moves on to the next deadline whenever
 * a call is pending. Delayed calls keep their order (by deadline, ties in the order scheduled)
 * and run on the reactor thread, one reactor iteration apart, so everything the reactor does in
 * between (I/O, calls from threads) still happens; only the waiting is skipped. Used on the
 * reactor thread only, like the reactor itself.
 */
final class VirtualTime implements ReactorTime {
    private final Reactor reactor;
    private final Clock clock = new Clock();
    private boolean armed;

    VirtualTime(Reactor reactor) {
        this.reactor = reactor;
    }

    @Override
    public DelayedCall callLater(Duration delay, Runnable callable) {
        DelayedCall call = clock.callLater(delay, callable);
        arm();
        return call;
    }

    @Override
    public double seconds() {
        return clock.seconds();
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return clock.getDelayedCalls();
    }

    private void arm() {
        if (!armed) {
            armed = true;
            reactor.callLater(Duration.ZERO, this::step);
        }
    }

    /** Moves to the earliest pending deadline (running what is due there), then waits for the next turn. */
    private void step() {
        armed = false;
        List<DelayedCall> pending = clock.getDelayedCalls();
        if (pending.isEmpty()) {
            return;
        }
        double next = pending.stream().mapToDouble(DelayedCall::getTime).min().orElseThrow();
        long nanos = (long) Math.ceil((next - clock.seconds()) * 1e9);
        try {
            clock.advance(Duration.ofNanos(Math.max(0, nanos)));
        } finally {
            if (!clock.getDelayedCalls().isEmpty()) {
                arm();
            }
        }
    }
}
