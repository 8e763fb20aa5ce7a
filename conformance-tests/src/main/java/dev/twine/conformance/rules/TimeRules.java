package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.AlreadyCalledException;
import dev.twine.defer.Deferred;
import dev.twine.reactor.AlreadyCancelledException;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.testing.CallbackThreads;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/** Delayed calls: Twisted's test_time and the callLater tests of test_internet. */
@API(status = INTERNAL, since = "0.1")
public class TimeRules extends RuleSet {

    @Rule(id = "TIME-01", capability = Capability.TIME, value = "callLater runs the callable once, no sooner than its "
            + "delay, on the reactor thread")
    @TrialTest
    Deferred<Void> callLaterRunsAfterTheDelay(TrialContext test) {
        CallbackThreads threads = new CallbackThreads();
        return Rut.start(test, reactor -> {
            List<String> found = new ArrayList<>();
            long start = System.nanoTime();
            DelayedCall[] call = new DelayedCall[1];
            Deferred<List<String>> done = new Deferred<>();
            int[] runs = {0};
            call[0] = reactor.callLater(Duration.ofMillis(40), () -> {
                threads.record("a delayed call");
                runs[0]++;
                double waited = (System.nanoTime() - start) / 1e6;
                found.add(waited >= 38 ? "not early" : "early, after " + waited + " ms");
                found.add(reactor.seconds() >= call[0].getTime() - 0.001 ? "at its time"
                        : "before its time by the reactor's clock");
                reactor.callLater(Duration.ofMillis(20), () -> {
                    found.add("ran " + runs[0] + " time(s)");
                    done.callback(found);
                });
            });
            return done;
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("not early", "at its time", "ran 1 time(s)");
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), threads);
        });
    }

    @Rule(id = "TIME-02", capability = Capability.TIME, value = "delayed calls run in the order of their due times, "
            + "whatever order they were scheduled in")
    @TrialTest
    Deferred<Void> callsRunInTimeOrder(TrialContext test) {
        CallbackThreads threads = new CallbackThreads();
        List<String> dueOrder = new ArrayList<>();
        return Rut.start(test, reactor -> {
            List<String> ran = new ArrayList<>();
            int[] delays = {30, 10, 50, 0, 20, 40};
            DueTimes due = new DueTimes(reactor);
            Deferred<List<String>> last = new Deferred<>();
            for (int delay : delays) {
                String name = delay + " ms";
                due.scheduled(name, delay, reactor.callLater(Duration.ofMillis(delay), () -> {
                    threads.record("a delayed call");
                    ran.add(name);
                    if (ran.size() == delays.length) {
                        last.callback(ran);
                    }
                }));
            }
            dueOrder.addAll(due.order());
            return last;
        }).addVoidCallback(order -> {
            assertThat(order).as("calls in the order they ran; by their getTime() they were due in the order %s",
                    dueOrder).containsExactlyElementsOf(dueOrder);
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), threads);
        });
    }

    /**
     * The due times a rule gave its calls, read back with getTime(). A rule that lays out calls a few
     * milliseconds apart expects them to run in the order of these times, not of the delays it asked
     * for: on a loaded machine the thread that schedules them can be paused between two calls for longer
     * than their gap, and then the later-scheduled call is rightly due later. Each getTime() is checked
     * against the reactor's clock read before and after the call was scheduled, so a reactor that
     * ignores delays (and runs calls in the order they came) still fails.
     */
    private static final class DueTimes {
        private static final double SLACK = 0.002;
        private final Reactor reactor;
        private final List<String> names = new ArrayList<>();
        private final List<DelayedCall> calls = new ArrayList<>();
        private double mark;

        DueTimes(Reactor reactor) {
            this.reactor = reactor;
            this.mark = reactor.seconds();
        }

        /** Records a call just scheduled {@code millis} from now, or just moved to that. */
        void scheduled(String name, long millis, DelayedCall call) {
            double now = reactor.seconds();
            assertThat(call.getTime()).as("getTime() of the call '%s', scheduled or moved %s ms from now", name, millis)
                    .isBetween(mark + millis / 1000.0 - SLACK, now + millis / 1000.0 + SLACK);
            int at = names.indexOf(name);
            if (at >= 0) {
                names.remove(at);
                calls.remove(at);
            }
            names.add(name);
            calls.add(call);
            mark = now;
        }

        /** Marks the clock before a reset() or delay() whose result {@link #scheduled} then records. */
        void mark() {
            mark = reactor.seconds();
        }

        /** The names in the order of their calls' current due times; equal times keep scheduling order. */
        List<String> order() {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                indices.add(i);
            }
            indices.sort((a, b) -> Double.compare(calls.get(a).getTime(), calls.get(b).getTime()));
            List<String> order = new ArrayList<>();
            for (int i : indices) {
                order.add(names.get(i));
            }
            return order;
        }
    }

    /**
     * Moves {@code call} (due no later than {@code target}) to exactly {@code target}'s due time with
     * delay(), by the difference of their getTime(); fails if the reactor's times cannot be made equal.
     */
    private static void makeDueWith(DelayedCall call, DelayedCall target) {
        for (int i = 0; i < 3 && call.getTime() != target.getTime(); i++) {
            long nanos = Math.round((target.getTime() - call.getTime()) * 1e9);
            if (nanos < 0) {
                break;
            }
            call.delay(Duration.ofNanos(Math.max(nanos, i == 0 ? 0 : 1)));
        }
        if (call.getTime() != target.getTime()) {
            throw new AssertionError("delay() by the difference of two calls' getTime() did not make them due at the "
                    + "same time (" + call.getTime() + " and " + target.getTime() + ")");
        }
    }

    @Rule(id = "TIME-03", capability = Capability.TIME, value = "delayed calls due at the same time run in the order "
            + "they were scheduled, also when reset() or delay() made them due then")
    @TrialTest
    Deferred<Void> equalTimesRunInTheOrderScheduled(TrialContext test) {
        return Rut.start(test, reactor -> {
            // Calls scheduled one after the other with no delay: due in that order, or at the same time.
            // Scheduling is warmed up first, so that the calls are scheduled within a microsecond or so
            // of each other: a reactor that skews due times by less than that shows it here.
            for (int i = 0; i < 20_000; i++) {
                reactor.callLater(Duration.ofHours(1), () -> { }).cancel();
            }
            List<Integer> ran = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                reactor.callLater(Duration.ZERO, () -> ran.add(n));
            }
            // Due times forced equal, whatever the clock read: each moved with delay() onto the due time
            // of the one due last (one also reset() first), last scheduled first, so that a reactor that
            // puts a moved call behind the others due then gets the order backwards. The first asks for
            // the longest delay and is normally due last; a thread paused between two calls here can
            // make another one due later, and delay() only moves a call later: so the latest is the target.
            List<String> forced = new ArrayList<>();
            DelayedCall first = reactor.callLater(Duration.ofMillis(40), () -> forced.add("first"));
            DelayedCall second = reactor.callLater(Duration.ZERO, () -> forced.add("second"));
            DelayedCall third = reactor.callLater(Duration.ofHours(1), () -> forced.add("third (reset)"));
            DelayedCall fourth = reactor.callLater(Duration.ofMillis(10), () -> forced.add("fourth"));
            DelayedCall fifth = reactor.callLater(Duration.ZERO, () -> forced.add("fifth"));
            third.reset(Duration.ZERO);
            List<DelayedCall> scheduled = List.of(first, second, third, fourth, fifth);
            DelayedCall target = first;
            for (DelayedCall call : scheduled) {
                if (call.getTime() > target.getTime()) {
                    target = call;
                }
            }
            for (int i = scheduled.size() - 1; i >= 0; i--) {
                if (scheduled.get(i) != target) {
                    makeDueWith(scheduled.get(i), target);
                }
            }
            Deferred<Void> after = new Deferred<>();
            reactor.callLater(Duration.ofMillis(50), () -> after.callback(null));
            return after.addVoidCallback(ignored -> {
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    expected.add(i);
                }
                assertThat(ran).as("calls scheduled one after the other with no delay ran out of the order they were "
                        + "scheduled in").containsExactlyElementsOf(expected);
                assertThat(forced).as("calls due at the same time ran out of the order they were scheduled in (a "
                        + "reset() or delay() must not move a call behind the others due then)")
                        .containsExactly("first", "second", "third (reset)", "fourth", "fifth");
            });
        });
    }

    @Rule(id = "TIME-04", capability = Capability.TIME, value = "a cancelled call never runs, says isCancelled(), and is "
            + "gone from getDelayedCalls()")
    @TrialTest
    Deferred<Void> aCancelledCallDoesNotRun(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<String> found = new ArrayList<>();
            DelayedCall call = reactor.callLater(Duration.ofMillis(10), () -> found.add("the cancelled call ran"));
            call.cancel();
            found.add("isCancelled " + call.isCancelled() + ", isActive " + call.isActive());
            found.add("listed " + reactor.getDelayedCalls().contains(call));
            // Due after the cancelled call would have been: by then it would have run.
            Deferred<List<String>> later = new Deferred<>();
            reactor.callLater(Duration.ofMillis(30), () -> later.callback(found));
            return later;
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("isCancelled true, isActive false", "listed false");
        });
    }

    @Rule(id = "TIME-05", capability = Capability.TIME, value = "cancel() on a cancelled call throws "
            + "AlreadyCancelledException, and on a call that has run AlreadyCalledException")
    @TrialTest
    Deferred<Void> cancellingTwiceOrTooLateIsRefused(TrialContext test) {
        return Rut.start(test, reactor -> {
            DelayedCall cancelled = reactor.callLater(Duration.ofMillis(10), () -> { });
            cancelled.cancel();
            assertThatThrownBy(cancelled::cancel).as("cancel() twice").isInstanceOf(AlreadyCancelledException.class);
            DelayedCall[] ran = new DelayedCall[1];
            Deferred<Void> afterIt = new Deferred<>();
            ran[0] = reactor.callLater(Duration.ZERO, () -> { });
            reactor.callLater(Duration.ofMillis(1), () -> afterIt.callback(null));
            return afterIt.addVoidCallback(ignored -> {
                assertThatThrownBy(ran[0]::cancel).as("cancel() after it ran").isInstanceOf(AlreadyCalledException.class);
            });
        });
    }

    @Rule(id = "TIME-06", capability = Capability.TIME, value = "reset() makes a call due the given time from now, "
            + "and the other calls keep their order")
    @TrialTest
    Deferred<Void> resetMovesACall(TrialContext test) {
        List<String> dueOrder = new ArrayList<>();
        return Rut.start(test, reactor -> {
            List<String> ran = new ArrayList<>();
            DueTimes due = new DueTimes(reactor);
            DelayedCall early = reactor.callLater(Duration.ofMillis(10), () -> ran.add("moved later"));
            due.scheduled("moved later", 10, early);
            due.scheduled("second", 20, reactor.callLater(Duration.ofMillis(20), () -> ran.add("second")));
            DelayedCall late = reactor.callLater(Duration.ofMillis(300), () -> ran.add("moved earlier"));
            due.scheduled("moved earlier", 300, late);
            due.scheduled("third", 30, reactor.callLater(Duration.ofMillis(30), () -> ran.add("third")));
            due.mark();
            early.reset(Duration.ofMillis(60));
            due.scheduled("moved later", 60, early);
            late.reset(Duration.ZERO);
            due.scheduled("moved earlier", 0, late);
            dueOrder.addAll(due.order());
            // Due after all of them: "moved later" was reset to 60 ms before this was scheduled.
            Deferred<List<String>> after = new Deferred<>();
            reactor.callLater(Duration.ofMillis(70), () -> after.callback(ran));
            return after;
        }).addVoidCallback(order -> {
            assertThat(order).as("calls in the order they ran; by their getTime() they were due in the order %s",
                    dueOrder).containsExactlyElementsOf(dueOrder);
        });
    }

    @Rule(id = "TIME-07", capability = Capability.TIME, value = "delay() makes a call due that much later than it was")
    @TrialTest
    Deferred<Void> delayPostponesACall(TrialContext test) {
        List<String> dueOrder = new ArrayList<>();
        return Rut.start(test, reactor -> {
            List<String> ran = new ArrayList<>();
            DueTimes due = new DueTimes(reactor);
            DelayedCall call = reactor.callLater(Duration.ofMillis(10), () -> ran.add("delayed"));
            due.scheduled("delayed", 10, call);
            double before = call.getTime();
            due.scheduled("not delayed", 30, reactor.callLater(Duration.ofMillis(30), () -> ran.add("not delayed")));
            call.delay(Duration.ofMillis(50));
            ran.add(Math.abs(call.getTime() - (before + 0.050)) < 0.002 ? "getTime moved by the delay"
                    : "getTime moved from " + before + " to " + call.getTime());
            dueOrder.addAll(due.order());
            // Due after both: the delayed call is due 60 ms after a time before this was scheduled.
            Deferred<List<String>> after = new Deferred<>();
            reactor.callLater(Duration.ofMillis(70), () -> after.callback(ran));
            return after;
        }).addVoidCallback(order -> {
            assertThat(order).as("by their getTime() the calls were due in the order %s", dueOrder)
                    .containsExactly("getTime moved by the delay", dueOrder.get(0), dueOrder.get(1));
        });
    }

    @Rule(id = "TIME-08", capability = Capability.TIME, value = "reset() and delay() on a call that was cancelled or "
            + "has run throw AlreadyCancelledException or AlreadyCalledException")
    @TrialTest
    Deferred<Void> resetAndDelayAfterTheFactAreRefused(TrialContext test) {
        return Rut.start(test, reactor -> {
            DelayedCall cancelled = reactor.callLater(Duration.ofMillis(10), () -> { });
            cancelled.cancel();
            assertThatThrownBy(() -> cancelled.reset(Duration.ofMillis(5))).isInstanceOf(AlreadyCancelledException.class);
            assertThatThrownBy(() -> cancelled.delay(Duration.ofMillis(5))).isInstanceOf(AlreadyCancelledException.class);
            DelayedCall ran = reactor.callLater(Duration.ZERO, () -> { });
            Deferred<Void> afterIt = new Deferred<>();
            reactor.callLater(Duration.ofMillis(1), () -> afterIt.callback(null));
            return afterIt.addVoidCallback(ignored -> {
                assertThatThrownBy(() -> ran.reset(Duration.ofMillis(5))).isInstanceOf(AlreadyCalledException.class);
                assertThatThrownBy(() -> ran.delay(Duration.ofMillis(5))).isInstanceOf(AlreadyCalledException.class);
            });
        });
    }

    @Rule(id = "TIME-09", capability = Capability.TIME, value = "callLater with a negative delay throws "
            + "IllegalArgumentException and schedules nothing")
    @TrialTest
    Deferred<Void> aNegativeDelayIsRefused(TrialContext test) {
        return Rut.start(test, reactor -> {
            int before = reactor.getDelayedCalls().size();
            assertThatThrownBy(() -> reactor.callLater(Duration.ofMillis(-1), () -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(reactor.getDelayedCalls()).as("delayed calls after the refused one").hasSize(before);
            return Deferred.succeed(null);
        });
    }

    @Rule(id = "TIME-10", capability = Capability.TIME, value = "getTime() is seconds() when the call was made plus its "
            + "delay, and seconds() never goes backwards")
    @TrialTest
    Deferred<Void> getTimeIsNowPlusTheDelay(TrialContext test) {
        return Rut.start(test, reactor -> {
            double now = reactor.seconds();
            DelayedCall call = reactor.callLater(Duration.ofSeconds(5), () -> { });
            double after = reactor.seconds();
            assertThat(call.getTime()).as("getTime() of a call 5 s from now")
                    .isBetween(now + 5 - 0.002, after + 5 + 0.002);
            call.cancel();
            double last = reactor.seconds();
            for (int i = 0; i < 1000; i++) {
                double next = reactor.seconds();
                assertThat(next).as("seconds() read after %s", last).isGreaterThanOrEqualTo(last);
                last = next;
            }
            return Deferred.succeed(null);
        });
    }

    @Rule(id = "TIME-11", capability = Capability.TIME, value = "getDelayedCalls() lists every pending call, and none "
            + "that ran or was cancelled")
    @TrialTest
    Deferred<Void> getDelayedCallsListsThePendingOnes(TrialContext test) {
        return Rut.start(test, reactor -> {
            int before = reactor.getDelayedCalls().size();
            DelayedCall a = reactor.callLater(Duration.ofSeconds(30), () -> { });
            DelayedCall b = reactor.callLater(Duration.ofSeconds(20), () -> { });
            DelayedCall c = reactor.callLater(Duration.ZERO, () -> { });
            DelayedCall d = reactor.callLater(Duration.ofSeconds(10), () -> { });
            d.cancel();
            Deferred<Void> afterC = new Deferred<>();
            reactor.callLater(Duration.ofMillis(1), () -> afterC.callback(null));
            return afterC.addVoidCallback(ignored -> {
                assertThat(reactor.getDelayedCalls()).as("pending calls").contains(a, b).doesNotContain(c, d)
                        .hasSize(before + 2);
                a.cancel();
                b.cancel();
            });
        });
    }

    @Rule(id = "TIME-12", capability = Capability.TIME, value = "a delayed call can stop the reactor")
    @TrialTest
    Deferred<Void> aDelayedCallCanStopTheReactor(TrialContext test) {
        Reactor reactor = Rut.build(test);
        reactor.callLater(Duration.ofMillis(10), reactor::stop);
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("the reactor had to be crashed").isFalse();
        });
    }

    @Rule(id = "TIME-13", capability = Capability.TIME, value = "a delayed call that throws is logged, and the calls "
            + "after it still run")
    @TrialTest
    Deferred<Void> aFailingCallIsLoggedAndTheRestRun(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<String> ran = new ArrayList<>();
            reactor.callLater(Duration.ZERO, () -> {
                throw new IllegalStateException("a delayed call that fails");
            });
            reactor.callLater(Duration.ZERO, () -> ran.add("same time, after it"));
            Deferred<List<String>> later = new Deferred<>();
            reactor.callLater(Duration.ofMillis(10), () -> {
                ran.add("later");
                later.callback(ran);
            });
            return later;
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("same time, after it", "later");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "TIME-14", capability = Capability.TIME, value = "a call due far in the future does not hold back calls "
            + "due sooner")
    @TrialTest
    Deferred<Void> aFarFutureCallDoesNotHoldOthersBack(TrialContext test) {
        return Rut.start(test, reactor -> {
            DelayedCall far = reactor.callLater(Duration.ofDays(3650), () -> { });
            Deferred<Void> soon = new Deferred<>();
            reactor.callLater(Duration.ofMillis(10), () -> soon.callback(null));
            return soon.addVoidCallback(ignored -> {
                far.cancel();
            });
        });
    }

    @Rule(id = "TIME-15", capability = Capability.TIME, value = "a call that keeps scheduling callLater(0) does not "
            + "starve other delayed calls or calls from other threads")
    @TrialTest
    Deferred<Void> zeroDelayLoopsDoNotStarveTheLoop(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<String> ran = new ArrayList<>();
            AtomicBoolean spinning = new AtomicBoolean(true);
            Runnable[] spin = new Runnable[1];
            spin[0] = () -> {
                if (spinning.get()) {
                    reactor.callLater(Duration.ZERO, spin[0]);
                }
            };
            reactor.callLater(Duration.ZERO, spin[0]);
            Deferred<List<String>> both = new Deferred<>();
            Runnable arrived = () -> {
                if (ran.size() == 2) {
                    spinning.set(false);
                    both.callback(ran);
                }
            };
            reactor.callLater(Duration.ofMillis(20), () -> {
                ran.add("a later delayed call");
                arrived.run();
            });
            Peer.run("caller", () -> {
                reactor.callFromThread(() -> {
                    ran.add("a call from another thread");
                    arrived.run();
                });
                return null;
            });
            return both;
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactlyInAnyOrder("a later delayed call", "a call from another thread");
        });
    }

    /** A delayed call's callable that the rule keeps only weakly. */
    private static final class Forgotten implements Runnable {
        @Override
        public void run() {
        }
    }

    @Rule(id = "TIME-16", capability = Capability.TIME, value = "10,000 calls scheduled and cancelled leave nothing "
            + "behind: none pending, and the reactor keeps no reference to them")
    @TrialTest
    Deferred<Void> cancelledCallsDoNotPileUp(TrialContext test) {
        List<WeakReference<Runnable>> sample = new ArrayList<>();
        return Rut.start(test, reactor -> {
            int before = reactor.getDelayedCalls().size();
            for (int i = 0; i < 10_000; i++) {
                Runnable callable = new Forgotten();
                if (i % 1000 == 0) {
                    sample.add(new WeakReference<>(callable));
                }
                reactor.callLater(Duration.ofSeconds(60 + i % 100), callable).cancel();
            }
            assertThat(reactor.getDelayedCalls()).as("pending calls after 10,000 cancelled").hasSize(before);
            // A call that is cancelled but kept (in a heap that drops cancelled calls only when they come
            // due) keeps its callable reachable: collect garbage a few times and see.
            Deferred<Long> collected = new Deferred<>();
            int[] rounds = {0};
            Runnable[] check = new Runnable[1];
            check[0] = () -> {
                System.gc();
                long kept = sample.stream().filter(ref -> ref.get() != null).count();
                if (kept == 0 || ++rounds[0] >= 10) {
                    collected.callback(kept);
                } else {
                    reactor.callLater(Duration.ofMillis(5), check[0]);
                }
            };
            reactor.callLater(Duration.ZERO, check[0]);
            return collected;
        }).addVoidCallback(kept -> {
            assertThat(kept).as("cancelled calls (of " + sample.size() + " watched) the reactor still holds after 10 "
                    + "garbage collections: it keeps cancelled calls in its heap").isZero();
        });
    }

    @Rule(id = "TIME-17", capability = Capability.TIME, value = "isActive() holds until a call runs or is cancelled; "
            + "isCalled() holds once it has run")
    @TrialTest
    Deferred<Void> activeUntilCalled(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<String> states = new ArrayList<>();
            DelayedCall[] call = new DelayedCall[1];
            call[0] = reactor.callLater(Duration.ofMillis(5), () -> states.add("while running: active "
                    + call[0].isActive() + ", called " + call[0].isCalled()));
            states.add("before: active " + call[0].isActive() + ", called " + call[0].isCalled());
            Deferred<List<String>> after = new Deferred<>();
            reactor.callLater(Duration.ofMillis(6), () -> {
                states.add("after: active " + call[0].isActive() + ", called " + call[0].isCalled() + ", cancelled "
                        + call[0].isCancelled());
                after.callback(states);
            });
            return after;
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("before: active true, called false", "while running: active false, called true",
                    "after: active false, called true, cancelled false");
        });
    }
}
