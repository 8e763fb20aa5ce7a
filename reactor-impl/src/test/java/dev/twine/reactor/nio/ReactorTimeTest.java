package dev.twine.reactor.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.reactor.DelayedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReactorTimeTest {
    private final Harness harness = new Harness();

    @Test
    void callsRunByTimeAndEqualTimesInTheOrderScheduled() {
        // The order is checked against the due times the calls got when scheduled, so a slow machine
        // (scheduling 200 calls taking longer than their 5 ms) changes the expected order, never the verdict.
        List<Double> due = new ArrayList<>();
        List<Integer> order = harness.run(reactor -> {
            List<Integer> seen = new ArrayList<>();
            Deferred<List<Integer>> done = new Deferred<>();
            due.add(reactor.callLater(Duration.ofMillis(30), () -> seen.add(0)).getTime());
            for (int i = 1; i <= 200; i++) {
                int n = i;
                due.add(reactor.callLater(Duration.ofMillis(5), () -> seen.add(n)).getTime());
            }
            due.add(reactor.callLater(Duration.ZERO, () -> seen.add(201)).getTime());
            reactor.callLater(Duration.ofMillis(40), () -> done.callback(seen));
            return done;
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < due.size(); i++) {
            expected.add(i);
        }
        expected.sort(java.util.Comparator.comparingDouble((Integer i) -> due.get(i)).thenComparingInt(i -> i));
        assertThat(order).as("calls in the order they ran; by due time, then in the order scheduled").isEqualTo(expected);
        assertThat(due.subList(1, 201)).as("due times of the 5 ms calls, in the order scheduled").isSorted();
    }

    @Test
    void cancelResetAndDelay() {
        java.util.Map<String, Double> due = new java.util.HashMap<>();
        List<String> order = harness.run(reactor -> {
            List<String> seen = new ArrayList<>();
            Deferred<List<String>> done = new Deferred<>();
            DelayedCall cancelled = reactor.callLater(Duration.ofMillis(1), () -> seen.add("cancelled"));
            DelayedCall reset = reactor.callLater(Duration.ofMillis(1), () -> seen.add("reset"));
            DelayedCall delayed = reactor.callLater(Duration.ofMillis(1), () -> seen.add("delayed"));
            DelayedCall fixed = reactor.callLater(Duration.ofMillis(10), () -> seen.add("fixed"));
            cancelled.cancel();
            double before = reset.getTime();
            reset.reset(Duration.ofMillis(20));
            double delayedWas = delayed.getTime();
            delayed.delay(Duration.ofMillis(29));
            assertThat(reset.getTime()).as("due time after reset(20 ms)").isGreaterThanOrEqualTo(before + 0.019);
            assertThat(delayed.getTime()).as("due time after delay(29 ms)").isCloseTo(delayedWas + 0.029,
                    org.assertj.core.data.Offset.offset(1e-6));
            due.put("reset", reset.getTime());
            due.put("delayed", delayed.getTime());
            due.put("fixed", fixed.getTime());
            assertThat(reactor.getDelayedCalls()).contains(reset, delayed).doesNotContain(cancelled);
            reactor.callLater(Duration.ofMillis(50), () -> done.callback(seen));
            return done;
        });
        // By due time (a slow machine may move reset's after delayed's; the order then follows).
        List<String> expected = new ArrayList<>(List.of("fixed", "reset", "delayed"));
        expected.sort(java.util.Comparator.comparingDouble(due::get));
        assertThat(order).as("the calls that ran, in order").isEqualTo(expected).doesNotContain("cancelled");
    }

    @Test
    void aFailingDelayedCallIsLoggedAndTheReactorGoesOn() {
        String result = harness.run(reactor -> {
            Deferred<String> done = new Deferred<>();
            reactor.callLater(Duration.ZERO, () -> {
                throw new IllegalStateException("delayed call failed");
            });
            reactor.callLater(Duration.ofMillis(1), () -> done.callback("still running"));
            return done;
        });
        assertThat(result).isEqualTo("still running");
        assertThat(harness.logged).singleElement().asString()
                .contains("Unhandled error in a delayed call").contains("delayed call failed");
    }

    @Test
    void negativeDelaysAreRefusedAndTimeMovesForward() {
        NioReactor reactor = new NioReactor();
        assertThatThrownBy(() -> reactor.callLater(Duration.ofMillis(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        double before = reactor.seconds();
        Double[] at = new Double[1];
        harness.run(r -> {
            Deferred<Void> done = new Deferred<>();
            r.callLater(Duration.ofMillis(10), () -> {
                at[0] = r.seconds();
                done.callback(null);
            });
            return done;
        });
        assertThat(new NioReactor().seconds()).isGreaterThanOrEqualTo(before);
        assertThat(at[0]).isNotNull();
    }

    @Test
    void aDelayedCallCanStopTheReactor() {
        NioReactor reactor = new NioReactor();
        reactor.callLater(Duration.ofMillis(5), reactor::stop);
        DelayedCall farFuture = reactor.callLater(Duration.ofDays(365_000), () -> { });
        reactor.run();
        assertThat(farFuture.isActive()).isTrue();
    }
}
