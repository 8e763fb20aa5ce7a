package dev.twine.conformance.harness;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.trial.TrialContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The reactor under test: a fresh one per rule, from the provider under test, run on the calling
 * thread (the rule's) until the Deferred the rule's body returns fires, then stopped. Run this
 * way, a reactor is checked as Twisted's own reactor suite checks one, and a broken reactor cannot
 * break the trial engine that runs the rules.
 *
 * <p>A rule that takes too long fails with "did not finish within"; the limit is a delayed call on
 * the reactor under test, and in case its timers are broken, a watchdog crashes it a little later.
 */
public final class Rut {
    private static final Duration WATCHDOG_MARGIN = Duration.ofSeconds(3);
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private Rut() {
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "twine-conformance-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }

    /** A new reactor from the provider under test, not running. */
    public static Reactor build(TrialContext test) {
        return Conformance.provider(test).createReactor();
    }

    /**
     * Runs {@code body} on a fresh reactor as soon as it runs, and the reactor until the Deferred
     * the body returns fires. Returns its result, or throws its failure.
     */
    public static <T> T run(TrialContext test, Function<? super Reactor, ? extends Deferred<T>> body) {
        return run(build(test), Conformance.ruleLimit(test), body);
    }

    /** {@link #run(TrialContext, Function)} on a given reactor, which must not have run. */
    public static <T> T run(Reactor reactor, Duration limit, Function<? super Reactor, ? extends Deferred<T>> body) {
        Object[] outcome = new Object[2]; // the value; "ok" or the Failure
        reactor.callWhenRunning(() -> {
            Deferred<T> result;
            try {
                result = body.apply(reactor);
                if (result == null) {
                    result = Deferred.fail(new IllegalStateException("the rule's body returned null"));
                }
            } catch (Throwable e) {
                result = Deferred.fail(e);
            }
            result.addBoth((value, failure) -> {
                if (outcome[1] == null) {
                    outcome[0] = value;
                    outcome[1] = failure == null ? "ok" : failure;
                }
                stop(reactor);
                return null;
            });
        });
        reactor.callLater(limit, () -> {
            if (outcome[1] == null) {
                outcome[1] = new Failure(new AssertionError("did not finish within " + seconds(limit)
                        + ": what the rule waited for never happened"));
                stop(reactor);
            }
        });
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> reactor.callFromThread(() -> {
            if (outcome[1] == null) {
                outcome[1] = new Failure(new AssertionError("did not finish within " + seconds(limit)
                        + ", and the reactor's own delayed call for that limit did not fire either"));
            }
            reactor.crash();
        }), limit.plus(WATCHDOG_MARGIN).toNanos(), TimeUnit.NANOSECONDS);
        try {
            reactor.run();
        } finally {
            watchdog.cancel(false);
        }
        if (outcome[1] instanceof Failure failure) {
            throw failure.raiseException();
        }
        if (outcome[1] == null) {
            throw new AssertionError("run() returned before the rule finished, and nothing stopped the reactor");
        }
        @SuppressWarnings("unchecked")
        T value = (T) outcome[0];
        return value;
    }

    /**
     * Runs {@code reactor} on this thread as the rule has set it up (something it scheduled must
     * stop it), crashing it if it still runs after the rule limit. Returns whether it had to be crashed.
     */
    public static boolean runGuarded(TrialContext test, Reactor reactor) {
        Duration limit = Conformance.ruleLimit(test);
        boolean[] crashed = {false};
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> reactor.callFromThread(() -> {
            crashed[0] = true;
            reactor.crash();
        }), limit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            reactor.run();
        } finally {
            watchdog.cancel(false);
        }
        return crashed[0];
    }

    /** Runs a reactor that was built but not run just long enough to stop it, so it releases what it holds. */
    public static void dispose(Reactor reactor) {
        if (reactor.isRunning()) {
            return;
        }
        try {
            run(reactor, Conformance.DEFAULT_RULE_LIMIT, r -> Deferred.succeed(null));
        } catch (RuntimeException e) {
            // it could not run (it was stopped before, or is broken): nothing more to release here
        }
    }

    /** Stops a running reactor; quietly if it is already stopping. */
    public static void stop(Reactor reactor) {
        try {
            if (reactor.isRunning()) {
                reactor.stop();
            }
        } catch (ReactorNotRunningException alreadyStopping) {
            // fine
        }
    }

    static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
