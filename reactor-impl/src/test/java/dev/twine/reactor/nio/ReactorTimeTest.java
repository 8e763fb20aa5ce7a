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
        List<Integer> order = harness.run(reactor -> {
            List<Integer> seen = new ArrayList<>();
            Deferred<List<Integer>> done = new Deferred<>();
            reactor.callLater(Duration.ofMillis(30), () -> seen.add(1000));
            for (int i = 0; i < 200; i++) {
                int n = i;
                reactor.callLater(Duration.ofMillis(5), () -> seen.add(n));
            }
            reactor.callLater(Duration.ZERO, () -> seen.add(-1));
            reactor.callLater(Duration.ofMillis(40), () -> done.callback(seen));
            return done;
        });
        assertThat(order).hasSize(202);
        assertThat(order.get(0)).isEqualTo(-1);
        assertThat(order.subList(1, 201)).isSorted();
        assertThat(order.get(201)).isEqualTo(1000);
    }

    @Test
    void cancelResetAndDelay() {
        List<String> order = harness.run(reactor -> {
            List<String> seen = new ArrayList<>();
            Deferred<List<String>> done = new Deferred<>();
            DelayedCall cancelled = reactor.callLater(Duration.ofMillis(1), () -> seen.add("cancelled"));
            DelayedCall reset = reactor.callLater(Duration.ofMillis(1), () -> seen.add("reset"));
            DelayedCall delayed = reactor.callLater(Duration.ofMillis(1), () -> seen.add("delayed"));
            reactor.callLater(Duration.ofMillis(10), () -> seen.add("fixed"));
            cancelled.cancel();
            reset.reset(Duration.ofMillis(20));
            delayed.delay(Duration.ofMillis(29));
            assertThat(reactor.getDelayedCalls()).contains(reset, delayed).doesNotContain(cancelled);
            reactor.callLater(Duration.ofMillis(50), () -> done.callback(seen));
            return done;
        });
        assertThat(order).containsExactly("fixed", "reset", "delayed");
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
