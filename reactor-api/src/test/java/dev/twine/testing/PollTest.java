package dev.twine.testing;

import static dev.twine.testing.Fired.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.CancelledException;
import dev.twine.defer.Deferred;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {
    private final MemoryReactor reactor = new MemoryReactor();

    @Test
    void untilChecksAtOnceThenEveryIntervalOnTheReactorsClock() {
        AtomicInteger checks = new AtomicInteger();
        AtomicBoolean ready = new AtomicBoolean();
        Deferred<Void> done = Poll.until(reactor, () -> {
            checks.incrementAndGet();
            return ready.get();
        });
        assertThat(checks).hasValue(1);
        assertThat(reactor.getDelayedCalls()).hasSize(1);
        reactor.advance(Poll.INTERVAL.dividedBy(2));
        assertThat(checks).as("not before the interval").hasValue(1);
        reactor.advance(Poll.INTERVAL.dividedBy(2));
        assertThat(checks).hasValue(2);
        ready.set(true);
        assertThat(done.isCalled()).isFalse();
        reactor.advance(Poll.INTERVAL);
        assertThat(done.isCalled()).isTrue();
        assertThat(reactor.getDelayedCalls()).as("no timer left once it fired").isEmpty();
        assertThat(Poll.until(reactor, () -> true).isCalled()).as("a condition that holds fires at once").isTrue();
    }

    @Test
    void valueFiresWithTheFirstNonNullValueAndAThrowingSupplierFailsIt() {
        String[] next = {null};
        Deferred<String> value = Poll.value(reactor, () -> next[0]);
        reactor.advance(Poll.INTERVAL);
        next[0] = "there";
        reactor.advance(Poll.INTERVAL);
        assertThat(outcome(value)).isEqualTo("there");

        Deferred<String> broken = Poll.value(reactor, () -> {
            throw new IllegalStateException("cannot tell");
        });
        assertThat(outcome(broken)).isInstanceOf(IllegalStateException.class);
        assertThat(reactor.getDelayedCalls()).isEmpty();
    }

    @Test
    void cancellingStopsThePolling() {
        AtomicInteger checks = new AtomicInteger();
        Deferred<Void> never = Poll.until(reactor, () -> checks.incrementAndGet() < 0);
        never.cancel();
        assertThat(outcome(never)).isInstanceOf(CancelledException.class);
        assertThat(reactor.getDelayedCalls()).isEmpty();
        reactor.advance(Poll.INTERVAL.multipliedBy(10));
        assertThat(checks).hasValue(1);
    }

    @Test
    void futureFiresWithTheResultOrFailsWithTheCompletionException() {
        CompletableFuture<String> good = new CompletableFuture<>();
        CompletableFuture<String> bad = new CompletableFuture<>();
        Deferred<String> fromGood = Poll.future(reactor, good);
        Deferred<String> fromBad = Poll.future(reactor, bad);
        good.complete("poem");
        bad.completeExceptionally(new IllegalArgumentException("no poem"));
        assertThat(fromGood.isCalled()).as("polled: nothing until the next check").isFalse();
        reactor.advance(Poll.INTERVAL);
        assertThat(outcome(fromGood)).isEqualTo("poem");
        assertThat((Throwable) outcome(fromBad)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wokenIsHandedOverByCallFromThreadWithNoTimerMeanwhile() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletableFuture<String> failing = new CompletableFuture<>();
        Deferred<String> woken = Poll.woken(reactor, future);
        Deferred<String> failed = Poll.woken(reactor, failing);
        assertThat(reactor.getDelayedCalls()).as("no timer keeps the loop busy").isEmpty();
        Thread other = new Thread(() -> {
            future.complete("from another thread");
            failing.completeExceptionally(new IllegalStateException("broken"));
        });
        other.start();
        other.join();
        assertThat(woken.isCalled()).as("only once the reactor runs what callFromThread queued").isFalse();
        reactor.iterate(java.time.Duration.ZERO);
        assertThat(outcome(woken)).isEqualTo("from another thread");
        assertThat(outcome(failed)).as("the cause, not the CompletionException").isInstanceOf(IllegalStateException.class);
    }
}
