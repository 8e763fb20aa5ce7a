package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Conformance;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.reactor.Capability;
import dev.twine.task.Tasks;
import dev.twine.testing.Poll;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * Threads at the edges the first rules leave open: the pool resized while it runs. Found by
 * mutation testing of the built-in reactor (./twine mutation).
 */
@API(status = INTERNAL, since = "0.1")
public class ThreadEdgeRules extends RuleSet {

    @Rule(id = "THR-40", capability = Capability.THREADS, value = "suggestThreadPoolSize(n) on a pool that already "
            + "runs work lets n calls run at once from then on")
    @TrialTest
    Deferred<Void> aRunningPoolGrows(TrialContext test) {
        int size = 4;
        // A call that waits for all the others to start: only a pool of 4 threads lets them all start.
        long wait = Conformance.ruleLimit(test).dividedBy(3).toMillis();
        CountDownLatch allStarted = new CountDownLatch(size);
        return Rut.start(test, reactor -> {
            reactor.suggestThreadPoolSize(1);
            return reactor.deferToThread(() -> "the pool runs").addDeferredCallback(ignored -> {
                reactor.suggestThreadPoolSize(size);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait); // one wait for all, queued or not
                List<Deferred<Boolean>> work = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    work.add(reactor.deferToThread(() -> {
                        allStarted.countDown();
                        return allStarted.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    }));
                }
                return DeferredList.gatherResults(work);
            });
        }).addVoidCallback(met -> {
            assertThat(met).as("whether each of %d calls saw all %d running at once (within %d ms) after the pool was "
                    + "resized from 1 to %d", size, size, wait, size)
                    .containsOnly(true);
        });
    }

    @Rule(id = "THR-41", capability = Capability.THREADS, value = "work given to callInThread that throws is logged, "
            + "and the pool goes on running the work given after it")
    @TrialTest
    Deferred<Void> throwingPoolWorkIsLogged(TrialContext test) {
        return Rut.start(test, reactor -> {
            reactor.suggestThreadPoolSize(1);
            reactor.callInThread(() -> {
                throw new IllegalStateException("pool work failed on purpose");
            });
            return reactor.deferToThread(() -> "ran after it");
        }).addVoidCallback(after -> {
            assertThat(after).as("the work given after the failing one").isEqualTo("ran after it");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "THR-42", capability = Capability.THREADS, value = "suggestThreadPoolSize(n) with a smaller n on a pool "
            + "that already runs work is accepted, and from then on at most n calls run at once; a size below 1 throws "
            + "IllegalArgumentException")
    @TrialTest
    Deferred<Void> aRunningPoolShrinks(TrialContext test) {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        String[] belowOne = new String[1];
        return Rut.start(test, reactor -> {
            reactor.suggestThreadPoolSize(3);
            return reactor.deferToThread(() -> "the pool runs").addDeferredCallback(ignored -> {
                reactor.suggestThreadPoolSize(1);
                try {
                    reactor.suggestThreadPoolSize(0);
                    belowOne[0] = "suggestThreadPoolSize(0) did not throw";
                } catch (IllegalArgumentException expected) {
                    belowOne[0] = "IllegalArgumentException";
                }
                List<Deferred<Object>> work = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    work.add(reactor.deferToThread(() -> {
                        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                        release.await(10, TimeUnit.SECONDS);
                        running.decrementAndGet();
                        return null;
                    }));
                }
                return Poll.until(reactor, () -> running.get() >= 1)
                        .addDeferredCallback(started -> Tasks.deferLater(reactor, Duration.ofMillis(50)))
                        .addDeferredCallback(waited -> {
                            release.countDown();
                            return DeferredList.gatherResults(work);
                        });
            });
        }).addVoidCallback(ignored -> {
            assertThat(belowOne[0]).as("what suggestThreadPoolSize(0) did").isEqualTo("IllegalArgumentException");
            assertThat(peak.get()).as("calls that ran at once after the pool was resized from 3 to 1").isEqualTo(1);
        });
    }
}
