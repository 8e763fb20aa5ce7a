package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.AlreadyCalledException;
import dev.twine.defer.Deferred;
import dev.twine.reactor.AlreadyCancelledException;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Delayed calls: Twisted's test_time and the callLater tests of test_internet. */
public class TimeRules extends RuleSet {

    @Rule(id = "TIME-01", capability = Capability.TIME, value = "callLater runs the callable once, no sooner than its "
            + "delay, on the reactor thread")
    @TrialTest
    void callLaterRunsAfterTheDelay(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> found = new ArrayList<>();
            Thread reactorThread = Thread.currentThread();
            long start = System.nanoTime();
            DelayedCall[] call = new DelayedCall[1];
            Deferred<List<String>> done = new Deferred<>();
            call[0] = reactor.callLater(Duration.ofMillis(40), () -> {
                double waited = (System.nanoTime() - start) / 1e6;
                found.add(waited >= 38 ? "not early" : "early, after " + waited + " ms");
                found.add(reactor.seconds() >= call[0].getTime() - 0.001 ? "at its time"
                        : "before its time by the reactor's clock");
                found.add(Thread.currentThread() == reactorThread ? "on the reactor thread"
                        : "on " + Thread.currentThread().getName());
                reactor.callLater(Duration.ofMillis(20), () -> done.callback(found));
            });
            return done;
        });
        assertThat(seen).containsExactly("not early", "at its time", "on the reactor thread");
    }

    @Rule(id = "TIME-02", capability = Capability.TIME, value = "delayed calls run in the order of their due times, "
            + "whatever order they were scheduled in")
    @TrialTest
    void callsRunInTimeOrder(TrialContext test) {
        List<Integer> order = Rut.run(test, reactor -> {
            List<Integer> ran = new ArrayList<>();
            int[] delays = {30, 10, 50, 0, 20, 40};
            for (int delay : delays) {
                reactor.callLater(Duration.ofMillis(delay), () -> ran.add(delay));
            }
            return Poll.until(reactor, () -> ran.size() == delays.length).addCallback(ignored -> ran);
        });
        assertThat(order).containsExactly(0, 10, 20, 30, 40, 50);
    }

    @Rule(id = "TIME-03", capability = Capability.TIME, value = "delayed calls due at the same time run in the order "
            + "they were scheduled")
    @TrialTest
    void equalTimesRunInTheOrderScheduled(TrialContext test) {
        List<Integer> order = Rut.run(test, reactor -> {
            List<Integer> ran = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                reactor.callLater(Duration.ZERO, () -> ran.add(n));
            }
            return Poll.until(reactor, () -> ran.size() == 50).addCallback(ignored -> ran);
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertThat(order).containsExactlyElementsOf(expected);
    }

    @Rule(id = "TIME-04", capability = Capability.TIME, value = "a cancelled call never runs, says isCancelled(), and is "
            + "gone from getDelayedCalls()")
    @TrialTest
    void aCancelledCallDoesNotRun(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> found = new ArrayList<>();
            DelayedCall call = reactor.callLater(Duration.ofMillis(10), () -> found.add("the cancelled call ran"));
            call.cancel();
            found.add("isCancelled " + call.isCancelled() + ", isActive " + call.isActive());
            found.add("listed " + reactor.getDelayedCalls().contains(call));
            return Poll.sleep(reactor, Duration.ofMillis(40)).addCallback(ignored -> found);
        });
        assertThat(seen).containsExactly("isCancelled true, isActive false", "listed false");
    }

    @Rule(id = "TIME-05", capability = Capability.TIME, value = "cancel() on a cancelled call throws "
            + "AlreadyCancelledException, and on a call that has run AlreadyCalledException")
    @TrialTest
    void cancellingTwiceOrTooLateIsRefused(TrialContext test) {
        Rut.run(test, reactor -> {
            DelayedCall cancelled = reactor.callLater(Duration.ofMillis(10), () -> { });
            cancelled.cancel();
            assertThatThrownBy(cancelled::cancel).as("cancel() twice").isInstanceOf(AlreadyCancelledException.class);
            DelayedCall[] ran = new DelayedCall[1];
            ran[0] = reactor.callLater(Duration.ZERO, () -> { });
            return Poll.until(reactor, () -> ran[0].isCalled()).addCallback(ignored -> {
                assertThatThrownBy(ran[0]::cancel).as("cancel() after it ran").isInstanceOf(AlreadyCalledException.class);
                return null;
            });
        });
    }

    @Rule(id = "TIME-06", capability = Capability.TIME, value = "reset() makes a call due the given time from now, "
            + "and the other calls keep their order")
    @TrialTest
    void resetMovesACall(TrialContext test) {
        List<String> order = Rut.run(test, reactor -> {
            List<String> ran = new ArrayList<>();
            DelayedCall early = reactor.callLater(Duration.ofMillis(10), () -> ran.add("moved later"));
            reactor.callLater(Duration.ofMillis(20), () -> ran.add("second"));
            DelayedCall late = reactor.callLater(Duration.ofMillis(300), () -> ran.add("moved earlier"));
            reactor.callLater(Duration.ofMillis(30), () -> ran.add("third"));
            early.reset(Duration.ofMillis(60));
            late.reset(Duration.ZERO);
            return Poll.until(reactor, () -> ran.size() == 4).addCallback(ignored -> ran);
        });
        assertThat(order).containsExactly("moved earlier", "second", "third", "moved later");
    }

    @Rule(id = "TIME-07", capability = Capability.TIME, value = "delay() makes a call due that much later than it was")
    @TrialTest
    void delayPostponesACall(TrialContext test) {
        List<String> order = Rut.run(test, reactor -> {
            List<String> ran = new ArrayList<>();
            DelayedCall call = reactor.callLater(Duration.ofMillis(10), () -> ran.add("delayed"));
            double before = call.getTime();
            reactor.callLater(Duration.ofMillis(30), () -> ran.add("not delayed"));
            call.delay(Duration.ofMillis(50));
            ran.add(Math.abs(call.getTime() - (before + 0.050)) < 0.002 ? "getTime moved by the delay"
                    : "getTime moved from " + before + " to " + call.getTime());
            return Poll.until(reactor, () -> ran.size() == 3).addCallback(ignored -> ran);
        });
        assertThat(order).containsExactly("getTime moved by the delay", "not delayed", "delayed");
    }

    @Rule(id = "TIME-08", capability = Capability.TIME, value = "reset() and delay() on a call that was cancelled or "
            + "has run throw AlreadyCancelledException or AlreadyCalledException")
    @TrialTest
    void resetAndDelayAfterTheFactAreRefused(TrialContext test) {
        Rut.run(test, reactor -> {
            DelayedCall cancelled = reactor.callLater(Duration.ofMillis(10), () -> { });
            cancelled.cancel();
            assertThatThrownBy(() -> cancelled.reset(Duration.ofMillis(5))).isInstanceOf(AlreadyCancelledException.class);
            assertThatThrownBy(() -> cancelled.delay(Duration.ofMillis(5))).isInstanceOf(AlreadyCancelledException.class);
            DelayedCall ran = reactor.callLater(Duration.ZERO, () -> { });
            return Poll.until(reactor, ran::isCalled).addCallback(ignored -> {
                assertThatThrownBy(() -> ran.reset(Duration.ofMillis(5))).isInstanceOf(AlreadyCalledException.class);
                assertThatThrownBy(() -> ran.delay(Duration.ofMillis(5))).isInstanceOf(AlreadyCalledException.class);
                return null;
            });
        });
    }

    @Rule(id = "TIME-09", capability = Capability.TIME, value = "callLater with a negative delay throws "
            + "IllegalArgumentException and schedules nothing")
    @TrialTest
    void aNegativeDelayIsRefused(TrialContext test) {
        Rut.run(test, reactor -> {
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
    void getTimeIsNowPlusTheDelay(TrialContext test) {
        Rut.run(test, reactor -> {
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
    void getDelayedCallsListsThePendingOnes(TrialContext test) {
        Rut.run(test, reactor -> {
            int before = reactor.getDelayedCalls().size();
            DelayedCall a = reactor.callLater(Duration.ofSeconds(30), () -> { });
            DelayedCall b = reactor.callLater(Duration.ofSeconds(20), () -> { });
            DelayedCall c = reactor.callLater(Duration.ZERO, () -> { });
            DelayedCall d = reactor.callLater(Duration.ofSeconds(10), () -> { });
            d.cancel();
            return Poll.until(reactor, c::isCalled).addCallback(ignored -> {
                assertThat(reactor.getDelayedCalls()).as("pending calls").contains(a, b).doesNotContain(c, d)
                        .hasSize(before + 2);
                a.cancel();
                b.cancel();
                return null;
            });
        });
    }

    @Rule(id = "TIME-12", capability = Capability.TIME, value = "a delayed call can stop the reactor")
    @TrialTest
    void aDelayedCallCanStopTheReactor(TrialContext test) {
        Reactor reactor = Rut.build(test);
        reactor.callLater(Duration.ofMillis(10), reactor::stop);
        assertThat(Rut.runGuarded(test, reactor)).as("the reactor had to be crashed").isFalse();
    }

    @Rule(id = "TIME-13", capability = Capability.TIME, value = "a delayed call that throws is logged, and the calls "
            + "after it still run")
    @TrialTest
    void aFailingCallIsLoggedAndTheRestRun(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> ran = new ArrayList<>();
            reactor.callLater(Duration.ZERO, () -> {
                throw new IllegalStateException("a delayed call that fails");
            });
            reactor.callLater(Duration.ZERO, () -> ran.add("same time, after it"));
            reactor.callLater(Duration.ofMillis(10), () -> ran.add("later"));
            return Poll.until(reactor, () -> ran.size() == 2).addCallback(ignored -> ran);
        });
        assertThat(seen).containsExactly("same time, after it", "later");
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }

    @Rule(id = "TIME-14", capability = Capability.TIME, value = "a call due far in the future does not hold back calls "
            + "due sooner")
    @TrialTest
    void aFarFutureCallDoesNotHoldOthersBack(TrialContext test) {
        Rut.run(test, reactor -> {
            DelayedCall far = reactor.callLater(Duration.ofDays(3650), () -> { });
            Deferred<Void> soon = new Deferred<>();
            reactor.callLater(Duration.ofMillis(10), () -> soon.callback(null));
            return soon.addCallback(ignored -> {
                far.cancel();
                return null;
            });
        });
    }

    @Rule(id = "TIME-15", capability = Capability.TIME, value = "a call that keeps scheduling callLater(0) does not "
            + "starve other delayed calls or calls from other threads")
    @TrialTest
    void zeroDelayLoopsDoNotStarveTheLoop(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> ran = new ArrayList<>();
            AtomicBoolean spinning = new AtomicBoolean(true);
            Runnable[] spin = new Runnable[1];
            spin[0] = () -> {
                if (spinning.get()) {
                    reactor.callLater(Duration.ZERO, spin[0]);
                }
            };
            reactor.callLater(Duration.ZERO, spin[0]);
            reactor.callLater(Duration.ofMillis(20), () -> ran.add("a later delayed call"));
            Peer.run("caller", () -> {
                reactor.callFromThread(() -> ran.add("a call from another thread"));
                return null;
            });
            return Poll.until(reactor, () -> ran.size() == 2).addCallback(ignored -> {
                spinning.set(false);
                return ran;
            });
        });
        assertThat(seen).containsExactlyInAnyOrder("a later delayed call", "a call from another thread");
    }

    @Rule(id = "TIME-16", capability = Capability.TIME, value = "10,000 calls scheduled and cancelled leave nothing "
            + "pending behind")
    @TrialTest
    void cancelledCallsDoNotPileUp(TrialContext test) {
        Rut.run(test, reactor -> {
            int before = reactor.getDelayedCalls().size();
            for (int i = 0; i < 10_000; i++) {
                reactor.callLater(Duration.ofSeconds(60 + i % 100), () -> { }).cancel();
            }
            assertThat(reactor.getDelayedCalls()).as("pending calls after 10,000 cancelled").hasSize(before);
            return Deferred.succeed(null);
        });
    }

    @Rule(id = "TIME-17", capability = Capability.TIME, value = "isActive() holds until a call runs or is cancelled; "
            + "isCalled() holds once it has run")
    @TrialTest
    void activeUntilCalled(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> states = new ArrayList<>();
            DelayedCall[] call = new DelayedCall[1];
            call[0] = reactor.callLater(Duration.ofMillis(5), () -> states.add("while running: active "
                    + call[0].isActive() + ", called " + call[0].isCalled()));
            states.add("before: active " + call[0].isActive() + ", called " + call[0].isCalled());
            return Poll.until(reactor, () -> states.size() == 2).addCallback(ignored -> {
                states.add("after: active " + call[0].isActive() + ", called " + call[0].isCalled() + ", cancelled "
                        + call[0].isCancelled());
                return states;
            });
        });
        assertThat(seen).containsExactly("before: active true, called false", "while running: active false, called true",
                "after: active false, called true, cancelled false");
    }
}
