package dev.twine.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.AlreadyCalledException;
import dev.twine.reactor.AlreadyCancelledException;
import dev.twine.reactor.DelayedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockTest {
    private final Clock clock = new Clock();
    private final List<String> ran = new ArrayList<>();

    private DelayedCall later(double seconds, String name) {
        return clock.callLater(Duration.ofMillis(Math.round(seconds * 1000)), () -> ran.add(name));
    }

    @Test
    void runsDueCallsInTimeOrderAndEqualTimesInSchedulingOrder() {
        later(3, "c");
        later(1, "a1");
        later(2, "b");
        later(1, "a2");
        later(1, "a3");
        clock.advance(Duration.ofMillis(999));
        assertThat(ran).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("a1", "a2", "a3", "b", "c");
        assertThat(clock.seconds()).isEqualTo(5.999);
    }

    @Test
    void resetAndDelayKeepTheOriginalPlaceAmongEqualTimes() {
        DelayedCall x = later(1, "x");
        later(2, "y");
        DelayedCall z = later(0.5, "z");
        x.reset(Duration.ofSeconds(2));
        z.delay(Duration.ofMillis(1500));
        assertThat(x.getTime()).isEqualTo(2.0);
        assertThat(z.getTime()).isEqualTo(2.0);
        clock.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("x", "y", "z");
    }

    @Test
    void cancelledCallsDoNotRunAndLeaveTheQueue() {
        DelayedCall a = later(1, "a");
        later(1, "b");
        a.cancel();
        assertThat(clock.getDelayedCalls()).hasSize(1);
        assertThat(a.isActive()).isFalse();
        assertThat(a.isCancelled()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("b");
    }

    @Test
    void misuseOfADelayedCallIsReported() {
        DelayedCall done = later(1, "done");
        clock.advance(Duration.ofSeconds(1));
        assertThat(done.isCalled()).isTrue();
        assertThatThrownBy(done::cancel).isInstanceOf(AlreadyCalledException.class);
        assertThatThrownBy(() -> done.reset(Duration.ofSeconds(1))).isInstanceOf(AlreadyCalledException.class);

        DelayedCall cancelled = later(1, "cancelled");
        cancelled.cancel();
        assertThatThrownBy(cancelled::cancel).isInstanceOf(AlreadyCancelledException.class);
        assertThatThrownBy(() -> cancelled.delay(Duration.ofSeconds(1))).isInstanceOf(AlreadyCancelledException.class);

        assertThatThrownBy(() -> clock.callLater(Duration.ofSeconds(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callsScheduledDuringAdvanceThatAreDueRunInTheSameAdvance() {
        clock.callLater(Duration.ofSeconds(1), () -> {
            ran.add("first");
            clock.callLater(Duration.ZERO, () -> ran.add("scheduled by first"));
            clock.callLater(Duration.ofSeconds(5), () -> ran.add("much later"));
        });
        clock.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("first", "scheduled by first");
    }

    @Test
    void anExceptionPropagatesOutOfAdvanceAndLeavesTheRestScheduled() {
        clock.callLater(Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("delayed call failed");
        });
        later(1, "after");
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(1))).hasMessage("delayed call failed");
        assertThat(ran).isEmpty();
        clock.runDue();
        assertThat(ran).containsExactly("after");
    }

    @Test
    void pumpAdvancesStepByStep() {
        List<Double> times = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            clock.callLater(Duration.ofSeconds(i), () -> times.add(clock.seconds()));
        }
        clock.pump(Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(times).containsExactly(1.5, 2.5, 3.5);
    }

    @Test
    void halfOfAMillionCancelledCallsDoNotPileUp() {
        List<DelayedCall> calls = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            calls.add(clock.callLater(Duration.ofMillis(i % 1000), () -> { }));
        }
        for (int i = 0; i < calls.size(); i += 2) {
            calls.get(i).cancel();
        }
        assertThat(clock.getDelayedCalls()).hasSize(500_000);
        clock.advance(Duration.ofSeconds(1));
        assertThat(clock.getDelayedCalls()).isEmpty();
        assertThat(calls.get(1).isCalled()).isTrue();
    }

    @Test
    void delayedCallDescribesItself() {
        DelayedCall call = later(99.99, "x");
        assertThat(call.toString()).matches("<DelayedCall@[0-9a-f]+ \\[99\\.99s] called=false cancelled=false .*>");
    }
}
