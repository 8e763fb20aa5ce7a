package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.AlreadyCalledException;
import dev.twine.defer.Deferred;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Delayed calls at the edges Twisted's test_internet (TimeTests) and test_time check: negative
 * delays refused by reset and delay, calls cancelled or moved by an earlier call of the same pass,
 * delays far beyond what a long of nanoseconds holds, and cancel() from inside the call itself.
 */
@API(status = INTERNAL, since = "0.1")
public class TimeContractRules extends RuleSet {

    private static final Duration AN_HOUR = Duration.ofHours(1);

    /** The far futures of TIME-24: a thousand years (beyond Duration.toNanos()), and the longest Duration there is. */
    static final Duration THOUSAND_YEARS = Duration.ofDays(365L * 1000);
    static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE);

    @Rule(id = "TIME-20", capability = Capability.TIME, value = "reset() with a negative delay throws "
            + "IllegalArgumentException and leaves the call due when it was")
    @TrialTest
    Deferred<Void> resetRefusesANegativeDelay(TrialContext test) {
        return Rut.start(test, reactor -> {
            DelayedCall call = reactor.callLater(AN_HOUR, () -> { });
            double due = call.getTime();
            assertThat(catchThrowable(() -> call.reset(Duration.ofSeconds(-1))))
                    .as("reset(-1 s): a negative delay was accepted by reset()").isInstanceOf(IllegalArgumentException.class);
            assertThat(call.getTime()).as("the call's due time after a refused reset(-1 s) (a negative reset moved it)")
                    .isEqualTo(due);
            assertThat(call.isActive()).as("the call is still pending after a refused reset").isTrue();
            call.cancel();
            return Deferred.succeed(null);
        });
    }

    @Rule(id = "TIME-21", capability = Capability.TIME, value = "delay() with a negative delay throws "
            + "IllegalArgumentException and leaves the call due when it was")
    @TrialTest
    Deferred<Void> delayRefusesANegativeDelay(TrialContext test) {
        return Rut.start(test, reactor -> {
            DelayedCall call = reactor.callLater(AN_HOUR, () -> { });
            double due = call.getTime();
            assertThat(catchThrowable(() -> call.delay(Duration.ofMinutes(-90))))
                    .as("delay(-90 min): a negative delay was accepted by delay()").isInstanceOf(IllegalArgumentException.class);
            assertThat(call.getTime()).as("the call's due time after a refused delay(-90 min) (a negative delay moved it)")
                    .isEqualTo(due);
            assertThat(call.isActive()).as("the call is still pending after a refused delay").isTrue();
            call.cancel();
            return Deferred.succeed(null);
        });
    }

    @Rule(id = "TIME-22", capability = Capability.TIME, value = "a due call cancelled by an earlier call of the same "
            + "pass of due calls does not run")
    @TrialTest
    Deferred<Void> cancelledByAnEarlierCallOfTheSamePass(TrialContext test) {
        List<String> ran = new ArrayList<>();
        return Rut.start(test, reactor -> {
            DelayedCall[] victim = new DelayedCall[1];
            Deferred<Void> done = new Deferred<>();
            reactor.callLater(Duration.ZERO, () -> {
                ran.add("first cancels second");
                victim[0].cancel();
            });
            victim[0] = reactor.callLater(Duration.ZERO, () -> ran.add("the cancelled call ran"));
            reactor.callLater(Duration.ZERO, () -> {
                ran.add("third");
                done.callback(null);
            });
            return done.addVoidCallback(ignored -> {
                assertThat(ran).as("the calls that ran (a call cancelled by an earlier call of the same batch of due calls "
                        + "ran)").containsExactly("first cancels second", "third");
                assertThat(victim[0].isCancelled()).as("the second call says isCancelled()").isTrue();
            });
        });
    }

    @Rule(id = "TIME-23", capability = Capability.TIME, value = "a due call that an earlier call of the same pass "
            + "resets to later does not run in that pass, and stays pending")
    @TrialTest
    Deferred<Void> resetByAnEarlierCallOfTheSamePass(TrialContext test) {
        List<String> ran = new ArrayList<>();
        return Rut.start(test, reactor -> {
            DelayedCall[] moved = new DelayedCall[1];
            Deferred<Void> done = new Deferred<>();
            reactor.callLater(Duration.ZERO, () -> {
                ran.add("first resets second to an hour from now");
                moved[0].reset(AN_HOUR);
            });
            moved[0] = reactor.callLater(Duration.ZERO, () -> ran.add("the call reset to an hour from now ran at once"));
            reactor.callLater(Duration.ZERO, () -> {
                ran.add("third");
                done.callback(null);
            });
            return done.addVoidCallback(ignored -> {
                assertThat(ran).as("the calls that ran (a call reset by an earlier call of the same batch ran anyway)")
                        .containsExactly("first resets second to an hour from now", "third");
                assertThat(moved[0].isActive()).as("the reset call is still pending").isTrue();
                assertThat(reactor.getDelayedCalls()).as("the pending calls").contains(moved[0]);
                moved[0].cancel();
            });
        });
    }

    @Rule(id = "TIME-24", capability = Capability.TIME, value = "a delay far beyond Duration.toNanos() range (a thousand "
            + "years, Long.MAX_VALUE seconds) is taken by callLater, reset and delay; the call stays pending and the "
            + "loop goes on")
    @TrialTest
    Deferred<Void> farFutureDelays(TrialContext test) {
        List<String> ran = new ArrayList<>();
        return Rut.start(test, reactor -> {
            List<DelayedCall> far = new ArrayList<>();
            far.add(reactor.callLater(THOUSAND_YEARS, () -> ran.add("the thousand-year call ran")));
            far.add(reactor.callLater(LONGEST, () -> ran.add("the Long.MAX_VALUE-seconds call ran")));
            DelayedCall reset = reactor.callLater(Duration.ZERO, () -> ran.add("the call reset to a thousand years ran"));
            reset.reset(THOUSAND_YEARS);
            far.add(reset);
            DelayedCall delayed = reactor.callLater(AN_HOUR, () -> ran.add("the call delayed by Long.MAX_VALUE seconds ran"));
            delayed.delay(LONGEST);
            far.add(delayed);
            double now = reactor.seconds();
            // The loop must go on: a call due now, then a call from another thread, then one due a little later.
            Deferred<Void> done = new Deferred<>();
            reactor.callLater(Duration.ZERO, () -> Peer.run("far-future-caller",
                    () -> {
                        reactor.callFromThread(() -> reactor.callLater(Duration.ofMillis(1), () -> done.callback(null)));
                        return null;
                    }));
            return done.addVoidCallback(ignored -> {
                for (DelayedCall call : far) {
                    assertThat(call.isActive()).as("a far-future call is still pending (it overflowed into the past): %s",
                            call).isTrue();
                    assertThat(call.getTime() - now).as("seconds until a far-future call is due (its time overflowed): %s",
                            call).isGreaterThan(365 * 24 * 3600.0);
                }
                assertThat(reactor.getDelayedCalls()).as("the pending calls").containsAll(far);
                far.forEach(DelayedCall::cancel);
            });
        }).addVoidCallback(ignored -> {
            assertThat(ran).as("far-future calls that ran (a far-future delay overflowed)").isEmpty();
        });
    }

    @Rule(id = "TIME-25", capability = Capability.TIME, value = "inside its own callable a call says isCalled(), not "
            + "isActive(), and cancel() there throws AlreadyCalledException")
    @TrialTest
    Deferred<Void> aRunningCallIsCalled(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            DelayedCall[] self = new DelayedCall[1];
            Deferred<Void> done = new Deferred<>();
            self[0] = reactor.callLater(Duration.ZERO, () -> {
                seen.add("isCalled=" + self[0].isCalled() + " isActive=" + self[0].isActive());
                try {
                    self[0].cancel();
                    seen.add("cancel() from inside the running call was accepted");
                } catch (AlreadyCalledException expected) {
                    seen.add("AlreadyCalledException");
                } catch (RuntimeException other) {
                    seen.add("cancel() threw " + other);
                }
                done.callback(null);
            });
            return done;
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what the running call saw of itself")
                    .containsExactly("isCalled=true isActive=false", "AlreadyCalledException");
        });
    }
}
