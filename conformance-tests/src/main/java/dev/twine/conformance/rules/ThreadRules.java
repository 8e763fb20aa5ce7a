package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads: Twisted's test_threads and the callFromThread tests of test_internet. */
public class ThreadRules extends RuleSet {

    @Rule(id = "THR-01", capability = Capability.THREADS, value = "callFromThread from another thread runs the call on "
            + "the reactor thread")
    @TrialTest
    void callFromThreadRunsOnTheReactorThread(TrialContext test) {
        Thread ranOn = Rut.run(test, reactor -> {
            Deferred<Thread> ran = new Deferred<>();
            Peer.run("caller", () -> {
                reactor.callFromThread(() -> ran.callback(Thread.currentThread()));
                return null;
            });
            return ran;
        });
        assertThat(ranOn).as("the thread the call ran on").isSameAs(Rut.lastRunThread());
    }

    @Rule(id = "THR-02", capability = Capability.THREADS, value = "callFromThread wakes a reactor that is waiting with "
            + "nothing to do: the call runs at once, not when something else happens")
    @TrialTest
    void callFromThreadWakesAnIdleReactor(TrialContext test) {
        int roundTrips = Rut.run(test, reactor -> {
            // Nothing else is scheduled (the rule's limit is 10 s away): only the wake-up can run these calls.
            Deferred<Integer> done = new Deferred<>();
            AtomicInteger trips = new AtomicInteger();
            Peer.run("waker", () -> {
                for (int i = 0; i < 20; i++) {
                    CompletableFuture<Void> ran = new CompletableFuture<>();
                    reactor.callFromThread(() -> {
                        trips.incrementAndGet();
                        ran.complete(null);
                    });
                    ran.get(20, TimeUnit.SECONDS);
                }
                reactor.callFromThread(() -> done.callback(trips.get()));
                return null;
            });
            return done;
        });
        assertThat(roundTrips).isEqualTo(20);
    }

    @Rule(id = "THR-03", capability = Capability.THREADS, value = "calls from one thread run in the order they were made")
    @TrialTest
    void callsFromOneThreadRunInOrder(TrialContext test) {
        List<Integer> order = Rut.run(test, reactor -> {
            List<Integer> ran = new ArrayList<>();
            Peer.run("caller", () -> {
                for (int i = 0; i < 10_000; i++) {
                    int n = i;
                    reactor.callFromThread(() -> ran.add(n));
                }
                return null;
            });
            return Poll.until(reactor, () -> ran.size() == 10_000).addCallback(ignored -> ran);
        });
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i) != i) {
                throw new AssertionError("call " + order.get(i) + " ran in place " + i);
            }
        }
    }

    @Rule(id = "THR-04", capability = Capability.THREADS, value = "calls from other threads made before run() wait "
            + "for it, and then run on the reactor thread")
    @TrialTest
    void callsMadeBeforeRunWaitForIt(TrialContext test) throws Exception {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        Peer.run("early-caller", () -> {
            reactor.callFromThread(() -> seen.add("early call, running " + reactor.isRunning()));
            return null;
        }).get(10, TimeUnit.SECONDS);
        assertThat(seen).as("calls run before run()").isEmpty();
        Thread[] reactorThread = new Thread[1];
        reactor.callWhenRunning(() -> reactorThread[0] = Thread.currentThread());
        reactor.callLater(Duration.ofMillis(20), () -> {
            seen.add("on the reactor thread " + (Thread.currentThread() == reactorThread[0]));
            reactor.stop();
        });
        Rut.runGuarded(test, reactor);
        assertThat(seen).containsExactly("early call, running true", "on the reactor thread true");
    }

    @Rule(id = "THR-05", capability = Capability.THREADS, value = "a call from the reactor thread to callFromThread, "
            + "made again and again, does not starve delayed calls")
    @TrialTest
    void nestedCallsDoNotStarveTheLoop(TrialContext test) {
        int count = Rut.run(test, reactor -> {
            AtomicInteger nested = new AtomicInteger();
            boolean[] stop = {false};
            Runnable[] again = new Runnable[1];
            again[0] = () -> {
                nested.incrementAndGet();
                if (!stop[0]) {
                    reactor.callFromThread(again[0]);
                }
            };
            reactor.callFromThread(again[0]);
            Deferred<Integer> timer = new Deferred<>();
            reactor.callLater(Duration.ofMillis(20), () -> {
                stop[0] = true;
                timer.callback(nested.get());
            });
            return timer;
        });
        assertThat(count).as("nested calls that ran before the delayed call").isPositive();
    }

    @Rule(id = "THR-06", capability = Capability.THREADS, value = "callFromThread is safe from many threads at once: "
            + "every call runs exactly once")
    @TrialTest
    void callsFromManyThreadsAllRunOnce(TrialContext test) {
        Set<Integer> seen = Rut.run(test, reactor -> {
            Set<Integer> ran = ConcurrentHashMap.newKeySet();
            AtomicInteger runs = new AtomicInteger();
            for (int t = 0; t < 4; t++) {
                int base = t * 2_500;
                Peer.run("caller-" + t, () -> {
                    for (int i = 0; i < 2_500; i++) {
                        int n = base + i;
                        reactor.callFromThread(() -> {
                            runs.incrementAndGet();
                            ran.add(n);
                        });
                    }
                    return null;
                });
            }
            return Poll.until(reactor, () -> runs.get() >= 10_000).addDeferredCallback(ignored -> Poll.sleep(reactor,
                    Duration.ofMillis(10))).addCallback(ignored -> {
                        assertThat(runs.get()).as("calls run").isEqualTo(10_000);
                        return ran;
                    });
        });
        assertThat(seen).as("distinct calls run").hasSize(10_000);
    }

    @Rule(id = "THR-07", capability = Capability.THREADS, value = "callInThread runs the work on a pool thread, not "
            + "the reactor thread")
    @TrialTest
    void callInThreadRunsOffTheReactorThread(TrialContext test) {
        Thread worker = Rut.run(test, reactor -> {
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            reactor.callInThread(() -> ran.complete(Thread.currentThread()));
            return Poll.future(reactor, ran);
        });
        assertThat(worker).as("the thread the work ran on").isNotSameAs(Rut.lastRunThread());
    }

    @Rule(id = "THR-08", capability = Capability.THREADS, value = "deferToThread runs the work on a pool thread and "
            + "fires its Deferred with the value on the reactor thread")
    @TrialTest
    void deferToThreadFiresOnTheReactorThread(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> found = new ArrayList<>();
            Thread reactorThread = Thread.currentThread();
            return reactor.deferToThread(() -> {
                found.add("work on the reactor thread: " + (Thread.currentThread() == reactorThread));
                return "value";
            }).addCallback(value -> {
                found.add(value + " fired on the reactor thread: " + (Thread.currentThread() == reactorThread));
                return found;
            });
        });
        assertThat(seen).containsExactly("work on the reactor thread: false", "value fired on the reactor thread: true");
    }

    @Rule(id = "THR-09", capability = Capability.THREADS, value = "deferToThread with work that throws fires the "
            + "errback with that exception")
    @TrialTest
    void deferToThreadFailsWithTheWorksException(TrialContext test) {
        Throwable error = Rut.run(test, reactor -> reactor.<String>deferToThread(() -> {
            throw new java.io.IOException("the work failed");
        }).addCallbacks(value -> (Throwable) new AssertionError("fired with " + value + " instead of failing"),
                Failure::value));
        assertThat(error).isInstanceOf(java.io.IOException.class).hasMessage("the work failed");
    }

    @Rule(id = "THR-10", capability = Capability.THREADS, value = "blockingCallFromThread returns the result of the "
            + "Deferred the work returns, or throws its failure")
    @TrialTest
    void blockingCallFromThreadWaitsForTheDeferred(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> reactor.deferToThread(() -> {
            List<String> found = new ArrayList<>();
            found.add(reactor.blockingCallFromThread(() -> {
                Deferred<String> later = new Deferred<>();
                reactor.callLater(Duration.ofMillis(10), () -> later.callback("fired later"));
                return later;
            }));
            try {
                reactor.blockingCallFromThread(() -> Deferred.fail(new IllegalStateException("failed")));
                found.add("no exception");
            } catch (IllegalStateException e) {
                found.add("threw " + e.getMessage());
            }
            return found;
        }));
        assertThat(seen).containsExactly("fired later", "threw failed");
    }

    @Rule(id = "THR-11", capability = Capability.THREADS, value = "suggestThreadPoolSize(n) bounds how many pool threads "
            + "run work at once")
    @TrialTest
    void thePoolIsBounded(TrialContext test) {
        int most = Rut.run(test, reactor -> {
            reactor.suggestThreadPoolSize(2);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            List<Deferred<Object>> work = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                work.add(reactor.deferToThread(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    release.await(10, TimeUnit.SECONDS);
                    running.decrementAndGet();
                    return null;
                }));
            }
            return Poll.until(reactor, () -> running.get() >= 2)
                    .addDeferredCallback(ignored -> Poll.sleep(reactor, Duration.ofMillis(50)))
                    .addDeferredCallback(ignored -> {
                        release.countDown();
                        return dev.twine.defer.DeferredList.gatherResults(work);
                    }).addCallback(ignored -> peak.get());
        });
        assertThat(most).as("pool threads that ran work at once").isEqualTo(2);
    }

    @Rule(id = "THR-12", capability = Capability.THREADS, value = "the thread pool stops with the reactor: no pool thread "
            + "is left running once run() has returned")
    @TrialTest
    void thePoolStopsWithTheReactor(TrialContext test) throws InterruptedException {
        Thread worker = Rut.run(test, reactor -> reactor.deferToThread(Thread::currentThread));
        java.time.Duration limit = dev.twine.conformance.harness.Conformance.ruleLimit(test);
        worker.join(limit.toMillis());
        assertThat(worker.isAlive()).as("pool thread %s alive %d s after run() returned", worker.getName(), limit.toSeconds())
                .isFalse();
    }

    @Rule(id = "THR-13", capability = Capability.THREADS, value = "isInIOThread() is true on the reactor thread and false "
            + "on every other")
    @TrialTest
    void isInIoThread(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> found = new ArrayList<>();
            found.add("reactor thread " + reactor.isInIOThread());
            return reactor.deferToThread(() -> "pool thread " + reactor.isInIOThread()).addCallback(text -> {
                found.add(text);
                return found;
            });
        });
        assertThat(seen).containsExactly("reactor thread true", "pool thread false");
    }

    @Rule(id = "THR-14", capability = Capability.THREADS, value = "a call from another thread that throws is logged, "
            + "and the reactor goes on")
    @TrialTest
    void aFailingCallFromAThreadIsLogged(TrialContext test) {
        String next = Rut.run(test, reactor -> {
            Deferred<String> after = new Deferred<>();
            Peer.run("caller", () -> {
                reactor.callFromThread(() -> {
                    throw new IllegalStateException("a call that fails");
                });
                reactor.callFromThread(() -> after.callback("the next call ran"));
                return null;
            });
            return after;
        });
        assertThat(next).isEqualTo("the next call ran");
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }
}
