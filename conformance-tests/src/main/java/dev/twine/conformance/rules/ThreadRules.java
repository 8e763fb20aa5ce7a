package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Conformance;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.task.Tasks;
import dev.twine.testing.CallbackThreads;
import dev.twine.testing.Poll;
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
import org.apiguardian.api.API;

/** Threads: Twisted's test_threads and the callFromThread tests of test_internet. */
@API(status = INTERNAL, since = "0.1")
public class ThreadRules extends RuleSet {

    /**
     * The latency bound of the wake-up rules: a delayed call this far away (half the rule's limit)
     * is the "something else" a reactor that loses wake-ups waits for. Nothing else is scheduled,
     * so a reactor that wakes runs the calls long before; one that does not runs them only then.
     */
    private static Duration bound(TrialContext test) {
        return Conformance.ruleLimit(test).dividedBy(2);
    }

    @Rule(id = "THR-01", capability = Capability.THREADS, value = "callFromThread from another thread runs the call on "
            + "the reactor thread")
    @TrialTest
    Deferred<Void> callFromThreadRunsOnTheReactorThread(TrialContext test) {
        CallbackThreads threads = new CallbackThreads();
        return Rut.start(test, reactor -> {
            Deferred<Void> ran = new Deferred<>();
            Peer.run("caller", () -> {
                reactor.callFromThread(() -> {
                    threads.record("a callFromThread call");
                    ran.callback(null);
                });
                return null;
            });
            return ran;
        }).addVoidCallback(ignored -> {
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), threads);
        });
    }

    @Rule(id = "THR-02", capability = Capability.THREADS, value = "callFromThread wakes a reactor that is waiting with "
            + "nothing to do: the call runs at once, not when something else happens")
    @TrialTest
    Deferred<Void> callFromThreadWakesAnIdleReactor(TrialContext test) {
        int trips = 5;
        Duration bound = bound(test);
        return Rut.start(test, reactor -> {
            // Nothing is scheduled but the bound: only the wake-up can run these calls before it.
            Deferred<Void> done = new Deferred<>();
            AtomicInteger ran = new AtomicInteger();
            DelayedCall[] sentinel = new DelayedCall[1];
            Runnable late = () -> {
                if (!done.isCalled()) {
                    done.errback(new Failure(new AssertionError("callFromThread did not wake the idle reactor: call "
                            + (ran.get() + 1) + " of " + trips + " from another thread was still waiting when a delayed "
                            + "call due " + bound.toMillis() + " ms later woke the loop")));
                }
            };
            sentinel[0] = reactor.callLater(bound, late);
            double due = sentinel[0].getTime();
            Peer.run("waker", () -> {
                for (int i = 0; i < trips; i++) {
                    CompletableFuture<Void> back = new CompletableFuture<>();
                    reactor.callFromThread(() -> {
                        if (reactor.seconds() >= due) {
                            late.run(); // it ran only because the delayed call woke the loop
                        } else if (ran.incrementAndGet() == trips && !done.isCalled()) {
                            if (sentinel[0].isActive()) {
                                sentinel[0].cancel();
                            }
                            done.callback(null);
                        }
                        back.complete(null);
                    });
                    back.get(); // the next call only once the reactor is idle again
                }
                return null;
            });
            return done;
        });
    }

    @Rule(id = "THR-03", capability = Capability.THREADS, value = "calls from one thread run in the order they were made")
    @TrialTest
    Deferred<Void> callsFromOneThreadRunInOrder(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<Integer> ran = new ArrayList<>();
            Deferred<List<Integer>> last = new Deferred<>();
            Peer.run("caller", () -> {
                for (int i = 0; i < 10_000; i++) {
                    int n = i;
                    reactor.callFromThread(() -> ran.add(n));
                }
                reactor.callFromThread(() -> last.callback(ran));
                return null;
            });
            return last;
        }).addVoidCallback(order -> {
            assertThat(order).as("calls that had run when the last one made did").hasSize(10_000);
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i) != i) {
                    throw new AssertionError("call " + order.get(i) + " ran in place " + i);
                }
            }
        });
    }

    @Rule(id = "THR-04", capability = Capability.THREADS, value = "calls from other threads made before run() wait "
            + "for it, and then run on the reactor thread")
    @TrialTest
    Deferred<Void> callsMadeBeforeRunWaitForIt(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread[] ranOn = new Thread[1];
        CompletableFuture<Void> made = Peer.run("early-caller", () -> {
            reactor.callFromThread(() -> {
                ranOn[0] = Thread.currentThread();
                seen.add("early call, running " + reactor.isRunning());
                reactor.stop();
            });
            return null;
        });
        // run() only once the call has been made; the call itself stops the reactor, so no timer races it.
        return Poll.future(test.reactor(), made).addDeferredCallback(ignored -> {
            assertThat(seen).as("calls run before run()").isEmpty();
            return Rut.startGuarded(test, reactor);
        }).addVoidCallback(crashed -> {
            assertThat(seen).as("the call made before run()").containsExactly("early call, running true");
            assertThat(ranOn[0]).as("the thread it ran on").isSameAs(Rut.lastRunThread());
        });
    }

    @Rule(id = "THR-05", capability = Capability.THREADS, value = "a call made with callFromThread on the reactor "
            + "thread runs without waiting for another event, and such calls made again and again do not starve "
            + "delayed calls")
    @TrialTest
    Deferred<Void> nestedCallsDoNotStarveTheLoop(TrialContext test) {
        int chain = 100;
        Duration bound = bound(test);
        return Rut.start(test, reactor -> {
            // First, with nothing scheduled but the bound: a chain of calls, each made by the one before.
            Deferred<Void> chained = new Deferred<>();
            AtomicInteger links = new AtomicInteger();
            Runnable late = () -> {
                if (!chained.isCalled()) {
                    chained.errback(new Failure(new AssertionError("callFromThread on the reactor thread did not wake the "
                            + "loop: chained call " + (links.get() + 1) + " of " + chain + " was still waiting when a "
                            + "delayed call due " + bound.toMillis() + " ms later woke it")));
                }
            };
            DelayedCall sentinel = reactor.callLater(bound, late);
            double due = sentinel.getTime();
            Runnable[] link = new Runnable[1];
            link[0] = () -> {
                if (reactor.seconds() >= due) {
                    late.run();
                } else if (links.incrementAndGet() < chain) {
                    reactor.callFromThread(link[0]);
                } else if (!chained.isCalled()) {
                    if (sentinel.isActive()) {
                        sentinel.cancel();
                    }
                    chained.callback(null);
                }
            };
            reactor.callFromThread(link[0]);
            // Then an endless chain must let a delayed call run.
            return chained.addDeferredCallback(ignored -> {
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
        }).addVoidCallback(count -> {
            assertThat(count).as("nested calls that ran before the delayed call").isPositive();
        });
    }

    @Rule(id = "THR-06", capability = Capability.THREADS, value = "callFromThread is safe from many threads at once: "
            + "every call runs exactly once")
    @TrialTest
    Deferred<Void> callsFromManyThreadsAllRunOnce(TrialContext test) {
        return Rut.start(test, reactor -> {
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
            return Poll.until(reactor, () -> runs.get() >= 10_000).addDeferredCallback(ignored -> Tasks.deferLater(reactor,
                    Duration.ofMillis(10))).addCallback(ignored -> {
                        assertThat(runs.get()).as("calls run").isEqualTo(10_000);
                        return ran;
                    });
        }).addVoidCallback(seen -> {
            assertThat(seen).as("distinct calls run").hasSize(10_000);
        });
    }

    @Rule(id = "THR-07", capability = Capability.THREADS, value = "callInThread runs the work on a pool thread, not "
            + "the reactor thread")
    @TrialTest
    Deferred<Void> callInThreadRunsOffTheReactorThread(TrialContext test) {
        return Rut.start(test, reactor -> {
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            reactor.callInThread(() -> ran.complete(Thread.currentThread()));
            return Poll.future(reactor, ran);
        }).addVoidCallback(worker -> {
            assertThat(worker).as("the thread the work ran on").isNotSameAs(Rut.lastRunThread());
        });
    }

    @Rule(id = "THR-08", capability = Capability.THREADS, value = "deferToThread runs the work on a pool thread and "
            + "fires its Deferred with the value on the reactor thread")
    @TrialTest
    Deferred<Void> deferToThreadFiresOnTheReactorThread(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<String> found = new ArrayList<>();
            Thread reactorThread = Thread.currentThread();
            return reactor.deferToThread(() -> {
                found.add("work on the reactor thread: " + (Thread.currentThread() == reactorThread));
                return "value";
            }).addCallback(value -> {
                found.add(value + " fired on the reactor thread: " + (Thread.currentThread() == reactorThread));
                return found;
            });
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("work on the reactor thread: false", "value fired on the reactor thread: true");
        });
    }

    @Rule(id = "THR-09", capability = Capability.THREADS, value = "deferToThread with work that throws fires the "
            + "errback with that exception")
    @TrialTest
    Deferred<Void> deferToThreadFailsWithTheWorksException(TrialContext test) {
        return Rut.start(test, reactor -> reactor.<String>deferToThread(() -> {
            throw new java.io.IOException("the work failed");
        }).addCallbacks(value -> (Throwable) new AssertionError("fired with " + value + " instead of failing"),
                Failure::value)).addVoidCallback(error -> {
                    assertThat(error).isInstanceOf(java.io.IOException.class).hasMessage("the work failed");
                });
    }

    @Rule(id = "THR-10", capability = Capability.THREADS, value = "blockingCallFromThread returns the result of the "
            + "Deferred the work returns, or throws its failure")
    @TrialTest
    Deferred<Void> blockingCallFromThreadWaitsForTheDeferred(TrialContext test) {
        return Rut.start(test, reactor -> reactor.deferToThread(() -> {
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
        })).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("fired later", "threw failed");
        });
    }

    @Rule(id = "THR-11", capability = Capability.THREADS, value = "suggestThreadPoolSize(n) bounds how many pool threads "
            + "run work at once")
    @TrialTest
    Deferred<Void> thePoolIsBounded(TrialContext test) {
        return Rut.start(test, reactor -> {
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
                    .addDeferredCallback(ignored -> Tasks.deferLater(reactor, Duration.ofMillis(50)))
                    .addDeferredCallback(ignored -> {
                        release.countDown();
                        return dev.twine.defer.DeferredList.gatherResults(work);
                    }).addCallback(ignored -> peak.get());
        }).addVoidCallback(most -> {
            assertThat(most).as("pool threads that ran work at once").isEqualTo(2);
        });
    }

    @Rule(id = "THR-12", capability = Capability.THREADS, value = "the thread pool stops with the reactor: no pool thread "
            + "is left running once run() has returned")
    @TrialTest
    Deferred<Void> thePoolStopsWithTheReactor(TrialContext test) {
        Duration limit = Conformance.ruleLimit(test);
        return Rut.start(test, reactor -> reactor.deferToThread(Thread::currentThread)).addDeferredCallback(worker -> {
            long deadline = System.nanoTime() + limit.toNanos();
            return Poll.until(test.reactor(), () -> !worker.isAlive() || System.nanoTime() > deadline).addVoidCallback(x -> {
                assertThat(worker.isAlive()).as("pool thread %s alive %d s after run() returned", worker.getName(),
                        limit.toSeconds()).isFalse();
            });
        });
    }

    @Rule(id = "THR-13", capability = Capability.THREADS, value = "isInIOThread() is true on the reactor thread and false "
            + "on every other")
    @TrialTest
    Deferred<Void> isInIoThread(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<String> found = new ArrayList<>();
            found.add("reactor thread " + reactor.isInIOThread());
            return reactor.deferToThread(() -> "pool thread " + reactor.isInIOThread()).addCallback(text -> {
                found.add(text);
                return found;
            });
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("reactor thread true", "pool thread false");
        });
    }

    @Rule(id = "THR-14", capability = Capability.THREADS, value = "a call from another thread that throws is logged, "
            + "and the reactor goes on")
    @TrialTest
    Deferred<Void> aFailingCallFromAThreadIsLogged(TrialContext test) {
        return Rut.start(test, reactor -> {
            Deferred<String> after = new Deferred<>();
            Peer.run("caller", () -> {
                reactor.callFromThread(() -> {
                    throw new IllegalStateException("a call that fails");
                });
                reactor.callFromThread(() -> after.callback("the next call ran"));
                return null;
            });
            return after;
        }).addVoidCallback(next -> {
            assertThat(next).isEqualTo("the next call ran");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }
}
