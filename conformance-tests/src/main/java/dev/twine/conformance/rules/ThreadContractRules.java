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
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * Threads as Twisted's test_threads (internet/test and test/) check them: callFromThread from the
 * reactor thread itself, calls queued by queued calls, and a pool size set before run().
 */
@API(status = INTERNAL, since = "0.1")
public class ThreadContractRules extends RuleSet {

    @Rule(id = "THR-20", capability = Capability.THREADS, value = "callFromThread made on the reactor thread, from a "
            + "delayed call, wakes the loop: the call runs without waiting for another event")
    @TrialTest
    Deferred<Void> callFromThreadOnTheReactorThreadWakesTheLoop(TrialContext test) {
        Duration limit = Conformance.ruleLimit(test);
        return Rut.start(test, reactor -> {
            Deferred<String> ran = new Deferred<>();
            // The only other event the loop has: a delayed call due at half the rule's limit. If the call
            // below runs no sooner than that one was due, the loop slept through it until woken by the timer.
            DelayedCall[] backstop = new DelayedCall[1];
            reactor.callLater(Duration.ZERO, () -> {
                backstop[0] = reactor.callLater(limit.dividedBy(2), () -> { });
                reactor.callFromThread(() -> {
                    boolean late = reactor.seconds() >= backstop[0].getTime();
                    if (backstop[0].isActive()) {
                        backstop[0].cancel();
                    }
                    ran.callback(late ? "it ran only when the loop woke for a later delayed call" : "ran at once");
                });
            });
            return ran;
        }).addVoidCallback(when -> {
            assertThat(when).as("a call made with callFromThread on the reactor thread (the loop was not woken)")
                    .isEqualTo("ran at once");
        });
    }

    @Rule(id = "THR-21", capability = Capability.THREADS, value = "a call that callFromThread queues while queued calls "
            + "are being run waits for the next pass: delayed calls already due run first")
    @TrialTest
    Deferred<Void> aCallQueuedByAQueuedCallWaitsItsTurn(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            Deferred<Void> done = new Deferred<>();
            reactor.callFromThread(() -> {
                seen.add("queued call");
                reactor.callFromThread(() -> {
                    seen.add("the call it queued");
                    done.callback(null);
                });
                reactor.callLater(Duration.ZERO, () -> seen.add("a delayed call due at once"));
            });
            return done;
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("the order calls ran in (a call queued from a queued call ran in the same pass, ahead "
                    + "of a due delayed call)").containsExactly("queued call", "a delayed call due at once", "the call it queued");
        });
    }

    @Rule(id = "THR-22", capability = Capability.THREADS, value = "suggestThreadPoolSize(n) called before run() bounds "
            + "the pool once the reactor runs")
    @TrialTest
    Deferred<Void> aPoolSizeSetBeforeRunIsHonoured(TrialContext test) {
        Reactor reactor = Rut.build(test);
        reactor.suggestThreadPoolSize(2);
        Duration limit = Conformance.ruleLimit(test);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        return Rut.start(test.reactor(), reactor, limit, r -> {
            int[] started = new int[1];
            List<Deferred<Object>> work = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                work.add(r.deferToThread(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread());
                    // Tell the reactor; once two run at once, let them all go.
                    r.callFromThread(() -> {
                        if (++started[0] == 2) {
                            release.countDown();
                        }
                    });
                    boolean released = release.await(limit.toMillis(), TimeUnit.MILLISECONDS);
                    running.decrementAndGet();
                    return released;
                }));
            }
            return DeferredList.gatherResults(work);
        }).addVoidCallback(released -> {
            assertThat(peak.get()).as("pool threads that ran work at once, after suggestThreadPoolSize(2) before run() "
                    + "(a pool size set before run() was ignored)").isLessThanOrEqualTo(2);
            assertThat(threads).as("the pool threads that ran the work (a pool size set before run() was ignored)")
                    .hasSizeLessThanOrEqualTo(2);
            assertThat(released).as("each piece of work was let go").containsOnly(true);
        });
    }
}
