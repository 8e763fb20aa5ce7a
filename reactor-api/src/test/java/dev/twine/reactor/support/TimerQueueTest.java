package dev.twine.reactor.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.reactor.DelayedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reactor side of the timer queue; the Clock tests cover the rest. */
class TimerQueueTest {
    private long now;
    private final TimerQueue queue = new TimerQueue(() -> now);
    private final List<String> ran = new ArrayList<>();

    @Test
    void inReactorModeCallsScheduledDuringAPassWaitForTheNext() {
        queue.schedule(Duration.ZERO, () -> {
            ran.add("first");
            queue.schedule(Duration.ZERO, () -> ran.add("rescheduled"));
        });
        assertThat(queue.runDue(false, (c, e) -> { })).isEqualTo(1);
        assertThat(ran).containsExactly("first");
        assertThat(queue.runDue(false, (c, e) -> { })).isEqualTo(1);
        assertThat(ran).containsExactly("first", "rescheduled");
    }

    @Test
    void aFailingCallIsReportedAndTheRestRun() {
        List<String> errors = new ArrayList<>();
        queue.schedule(Duration.ZERO, () -> {
            throw new IllegalStateException("boom");
        });
        queue.schedule(Duration.ZERO, () -> ran.add("second"));
        queue.runDue(false, (call, error) -> errors.add(error.getMessage()));
        assertThat(errors).containsExactly("boom");
        assertThat(ran).containsExactly("second");
    }

    @Test
    void farFutureDelaysAddingUpNeverWrapIntoThePast() {
        DelayedCall call = queue.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> ran.add("far"));
        for (int i = 0; i < 4; i++) {
            call.delay(Duration.ofSeconds(Long.MAX_VALUE));
        }
        now = Long.MAX_VALUE / 4;
        queue.runDue(false, (c, e) -> { });
        assertThat(ran).as("a call delayed by centuries four times over").isEmpty();
        assertThat(call.isActive()).isTrue();
        call.reset(Duration.ofSeconds(Long.MAX_VALUE));
        queue.runDue(false, (c, e) -> { });
        assertThat(ran).isEmpty();
    }

    @Test
    void nextDueAndCancelAll() {
        assertThat(queue.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
        DelayedCall a = queue.schedule(Duration.ofSeconds(2), () -> ran.add("a"));
        queue.schedule(Duration.ofSeconds(1), () -> ran.add("b"));
        assertThat(queue.nextDueNanos()).isEqualTo(1_000_000_000L);
        List<DelayedCall> cancelled = queue.cancelAll();
        assertThat(cancelled).hasSize(2);
        assertThat(a.isCancelled()).isTrue();
        assertThat(queue.isEmpty()).isTrue();
        now = 5_000_000_000L;
        queue.runDue(false, (c, e) -> { });
        assertThat(ran).isEmpty();
    }

    @Test
    void heapStaysOrderedUnderRandomOperations() {
        java.util.Random random = new java.util.Random(42);
        List<DelayedCall> live = new ArrayList<>();
        List<Long> fired = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int op = random.nextInt(10);
            if (op < 6 || live.isEmpty()) {
                long delay = random.nextInt(1000);
                DelayedCall[] self = new DelayedCall[1];
                self[0] = queue.schedule(Duration.ofNanos(delay), () -> fired.add(Math.round(self[0].getTime() * 1e9)));
                live.add(self[0]);
            } else if (op < 8) {
                DelayedCall c = live.remove(random.nextInt(live.size()));
                c.cancel();
            } else {
                live.get(random.nextInt(live.size())).reset(Duration.ofNanos(random.nextInt(1000)));
            }
        }
        now = 10_000;
        queue.runDue(true, (c, e) -> { });
        assertThat(fired).hasSize(live.size()).isSorted();
    }
}
