package dev.twine.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.CancelledException;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LoopingCall, checked against Twisted 22.4's task.LoopingCall on the same inputs. */
class LoopingCallTest {
    private final Clock clock = new Clock();
    private final List<Double> times = new ArrayList<>();

    @Test
    void callsAtOnceThenEveryIntervalAndSkipsMissedOnes() {
        LoopingCall loop = new LoopingCall(clock, () -> times.add(clock.seconds()));
        Deferred<LoopingCall> done = loop.start(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(5));
        // Twisted: [0.0, 2.0, 7.0] and the next call at 8.0
        assertThat(times).containsExactly(0.0, 2.0, 7.0);
        assertThat(clock.getDelayedCalls()).singleElement().satisfies(c -> assertThat(c.getTime()).isEqualTo(8.0));

        Object[] stopped = new Object[1];
        done.addCallback(l -> stopped[0] = l);
        loop.stop();
        assertThat(stopped[0]).isSameAs(loop);
        assertThat(clock.getDelayedCalls()).isEmpty();
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void withCountReportsSkippedIntervals() {
        List<Integer> counts = new ArrayList<>();
        LoopingCall loop = LoopingCall.withCount(clock, counts::add);
        loop.start(Duration.ofSeconds(1), true);
        clock.advance(Duration.ofMillis(3500));
        clock.advance(Duration.ofMillis(500));
        clock.advance(Duration.ofSeconds(1));
        assertThat(counts).containsExactly(1, 3, 1, 1); // as Twisted

        List<Integer> late = new ArrayList<>();
        Clock other = new Clock();
        LoopingCall.withCount(other, late::add).start(Duration.ofSeconds(1), false);
        other.advance(Duration.ofSeconds(1));
        other.advance(Duration.ofMillis(2500));
        assertThat(late).containsExactly(1, 2); // as Twisted
    }

    @Test
    void firstCallAfterOneIntervalWhenNotNow() {
        new LoopingCall(clock, () -> times.add(clock.seconds())).start(Duration.ofSeconds(1), false);
        assertThat(times).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(times).containsExactly(1.0);
    }

    @Test
    void aDeferredReturnedByTheFunctionIsWaitedFor() {
        List<Deferred<Void>> pending = new ArrayList<>();
        LoopingCall loop = new LoopingCall(clock, () -> {
            times.add(clock.seconds());
            Deferred<Void> d = new Deferred<>();
            pending.add(d);
            return d;
        });
        Deferred<LoopingCall> done = loop.start(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(3));
        assertThat(times).containsExactly(0.0);
        pending.get(0).callback(null);
        clock.advance(Duration.ofSeconds(1));
        assertThat(times).containsExactly(0.0, 4.0);

        loop.stop();
        assertThat(done.isCalled()).as("stop waits for the function's Deferred").isFalse();
        pending.get(1).callback(null);
        assertThat(done.isCalled()).isTrue();
    }

    @Test
    void anExceptionStopsTheLoopAndFailsTheDeferred() {
        int[] calls = {0};
        LoopingCall loop = new LoopingCall(clock, () -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("second call failed");
            }
        });
        Failure[] failure = new Failure[1];
        loop.start(Duration.ofSeconds(1)).addVoidErrback(f -> {
            failure[0] = f;
        });
        clock.advance(Duration.ofSeconds(1));
        assertThat(failure[0].value()).hasMessage("second call failed");
        assertThat(loop.isRunning()).isFalse();
        assertThat(clock.getDelayedCalls()).isEmpty();

        LoopingCall failingDeferred = new LoopingCall(clock, () -> Deferred.fail(new IOException("async failure")));
        Failure[] asyncFailure = new Failure[1];
        failingDeferred.start(Duration.ofSeconds(1)).addVoidErrback(f -> {
            asyncFailure[0] = f;
        });
        assertThat(asyncFailure[0].value()).isInstanceOf(IOException.class);
    }

    @Test
    void misuseIsReported() {
        LoopingCall loop = new LoopingCall(clock, () -> { });
        assertThatThrownBy(loop::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
        assertThatThrownBy(() -> loop.start(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        loop.start(Duration.ofSeconds(1));
        assertThatThrownBy(() -> loop.start(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
    }

    @Test
    void cancellingTheStartDeferredStopsTheLoop() {
        LoopingCall loop = new LoopingCall(clock, () -> times.add(clock.seconds()));
        Deferred<LoopingCall> done = loop.start(Duration.ofSeconds(1));
        Failure[] failure = new Failure[1];
        done.addVoidErrback(f -> {
            failure[0] = f;
        });
        done.cancel();
        assertThat(failure[0].value()).isInstanceOf(CancelledException.class);
        assertThat(loop.isRunning()).isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(times).containsExactly(0.0);
    }

    @Test
    void resetRestartsTheGridFromNow() {
        LoopingCall loop = new LoopingCall(clock, () -> times.add(clock.seconds()));
        loop.start(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        loop.reset();
        clock.advance(Duration.ofSeconds(2));
        assertThat(times).containsExactly(0.0, 3.0);
    }

    @Test
    void zeroIntervalRunsAgainAtOnceWithinAnAdvance() {
        List<Integer> counts = new ArrayList<>();
        LoopingCall loop = LoopingCall.withCount(clock, n -> {
            counts.add(n);
            if (counts.size() == 3) {
                throw new IllegalStateException("enough");
            }
        });
        loop.start(Duration.ZERO);
        assertThat(counts).containsExactly(1);
        clock.runDue();
        assertThat(counts).containsExactly(1, 1, 1);
        assertThat(loop.isRunning()).isFalse();
    }
}
