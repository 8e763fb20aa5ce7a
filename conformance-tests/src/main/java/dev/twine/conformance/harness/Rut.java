package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.testing.Poll;
import dev.twine.trial.TrialContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The reactor under test: a fresh one per run, from the provider under test, run on a thread of its
 * own ({@code twine-conformance-reactor}) until the Deferred the rule's body returns fires, then
 * stopped. Errors the reactor logs go to the rule's error log, so an unexpected one fails the rule.
 *
 * <p>A rule is an asynchronous trial test: it calls {@link #start(TrialContext, Function)} and
 * returns the Deferred it gets, with its assertions added as callbacks. That Deferred fires on the
 * trial reactor's thread once the reactor under test has stopped and its thread has ended, with
 * what the body's Deferred fired with; the trial reactor is never blocked.
 *
 * <pre>{@code
 * @TrialTest
 * Deferred<Void> loseConnectionGivesConnectionDone(TrialContext test) {
 *     return Rut.start(test, reactor -> ...the body, returning a Deferred...)
 *             .addCallback(reason -> {
 *                 assertThat(reason).isInstanceOf(ConnectionDone.class);
 *                 return null;
 *             });
 * }
 * }</pre>
 *
 * <p>A reactor that does not finish is stopped in three steps: a delayed call on itself at the
 * rule's limit; if its timers are broken, {@code crash()} through {@code callFromThread} a little
 * later; if that is broken too, the rule fails saying run() never returned, and the thread is
 * left behind (the janitor reports it). A broken reactor costs only the rules it breaks.
 */
@API(status = INTERNAL, since = "0.1")
public final class Rut {
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static final ThreadLocal<Thread> LAST_RUN_THREAD = new ThreadLocal<>();
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final AtomicLong STARTED = new AtomicLong();

    private Rut() {
    }

    /**
     * A new reactor from the provider under test, not running.
     *
     * @throws AssertionError saying so if the provider's {@code createReactor()} throws or returns null
     */
    public static Reactor build(TrialContext test) {
        Reactor reactor;
        try {
            reactor = Conformance.provider(test).createReactor();
        } catch (RuntimeException | Error e) {
            throw new AssertionError("the provider could not create a reactor: " + e, e);
        }
        if (reactor == null) {
            throw new AssertionError("the provider's createReactor() returned null");
        }
        return reactor;
    }

    /**
     * How many reactors under test run right now in this JVM. A rule that measures the whole
     * process (TCP-52 counting file descriptors) trusts that figure only if its own ran alone.
     */
    public static int running() {
        return RUNNING.get();
    }

    /** How many reactors under test have been started in this JVM so far. */
    public static long started() {
        return STARTED.get();
    }

    /** The thread that ran the reactor in this rule's last run (the reactor thread). */
    public static Thread lastRunThread() {
        return LAST_RUN_THREAD.get();
    }

    /**
     * Runs {@code body} on a fresh reactor from the provider under test as soon as that reactor
     * runs, and the reactor until the Deferred the body returns fires, then stops it. The result
     * fires on the trial reactor's thread (the rule's), after the reactor under test has stopped
     * and its thread has ended, with the body's result or failure; or with a failure saying the
     * rule did not finish within its limit. Cancelling it crashes the reactor under test.
     */
    public static <T> Deferred<T> start(TrialContext test, Function<? super Reactor, ? extends Deferred<T>> body) {
        Reactor reactor;
        try {
            reactor = build(test);
        } catch (AssertionError e) {
            return Deferred.fail(e);
        }
        return start(test.reactor(), reactor, Conformance.ruleLimit(test), body);
    }

    /**
     * {@link #start(TrialContext, Function)} on a reactor the rule built itself (with {@link
     * #build}) and has set up, which must not have run yet.
     */
    public static <T> Deferred<T> start(TrialContext test, Reactor reactor,
            Function<? super Reactor, ? extends Deferred<T>> body) {
        return start(test.reactor(), reactor, Conformance.ruleLimit(test), body);
    }

    /**
     * Releases a reactor the rule built but did not run (or ran only through {@code iterate}):
     * runs it just long enough to stop it, so it lets go of what it holds. Fires on the trial
     * reactor's thread once that is done, with nothing, whatever happened: a reactor that cannot
     * run any more has nothing left to release here.
     */
    public static Deferred<Void> release(TrialContext test, Reactor reactor) {
        if (reactor.isRunning()) {
            return Deferred.succeed(null);
        }
        Deferred<Object> run;
        try {
            run = start(test.reactor(), reactor, Conformance.ruleLimit(test), r -> Deferred.succeed(null));
        } catch (RuntimeException | Error e) {
            return Deferred.succeed(null);
        }
        return run.addVoidBoth((value, failure) -> { });
    }

    /**
     * {@link #start(TrialContext, Function)} on a given reactor under test, which must not have
     * run; {@code trial} is the rule's own reactor, on whose thread the result fires.
     */
    public static <T> Deferred<T> start(Reactor trial, Reactor reactor, Duration limit,
            Function<? super Reactor, ? extends Deferred<T>> body) {
        if (reactor == null) {
            return Deferred.fail(new AssertionError("the provider's createReactor() returned null"));
        }
        Object[] outcome = new Object[2]; // the value; "ok" or the Failure; written on the reactor thread
        try {
            schedule(reactor, limit, body, outcome);
        } catch (RuntimeException | Error e) {
            return Deferred.fail(new AssertionError("the reactor under test refused callWhenRunning or callLater before "
                    + "run(): " + e, e));
        }
        return runAsynchronously(trial, reactor, limit).addCallback(crashed -> {
            if (outcome[1] instanceof Failure failure) {
                throw failure.raiseException();
            }
            if (outcome[1] == null) {
                throw new AssertionError(crashed ? "did not finish within " + seconds(limit)
                        + ", and the reactor's own delayed call for that limit did not stop it: it had to be crashed"
                        : "run() returned before the rule finished, and nothing the rule did stopped the reactor");
            }
            @SuppressWarnings("unchecked")
            T value = (T) outcome[0];
            return value;
        });
    }

    /**
     * Runs {@code reactor} as the rule has set it up (something it scheduled must stop it),
     * crashing it if it still runs after the rule's limit. Fires on the trial reactor's thread,
     * once the reactor's thread has ended, with whether it had to be crashed.
     */
    public static Deferred<Boolean> startGuarded(TrialContext test, Reactor reactor) {
        return runAsynchronously(test.reactor(), reactor, Conformance.ruleLimit(test));
    }

    /**
     * Runs {@code reactor} on a new thread; fires on {@code trial}'s thread with whether it had to
     * be crashed, once that thread has ended; fails if even a crash did not make run() return.
     */
    private static Deferred<Boolean> runAsynchronously(Reactor trial, Reactor reactor, Duration limit) {
        ErrorLog log = ErrorLog.current();
        boolean[] crashed = new boolean[1];
        Throwable[] problem = new Throwable[1];
        DelayedCall[] watchdog = new DelayedCall[1];
        Deferred<Boolean> result = new Deferred<>(cancelled -> reactor.callFromThread(reactor::crash));
        Thread thread = new Thread(() -> {
            STARTED.incrementAndGet();
            RUNNING.incrementAndGet();
            Throwable thrown = null;
            try (ErrorLog.Binding ignored = ErrorLog.bind(log)) {
                reactor.run();
            } catch (Throwable e) {
                thrown = e;
            } finally {
                RUNNING.decrementAndGet();
            }
            Throwable runProblem = thrown;
            Thread self = Thread.currentThread();
            trial.callFromThread(() -> {
                if (result.isCalled()) {
                    return; // given up on already
                }
                if (watchdog[0] != null && watchdog[0].isActive()) {
                    watchdog[0].cancel();
                }
                problem[0] = runProblem;
                Poll.until(trial, () -> !self.isAlive()).addVoidCallback(ended -> {
                    if (!result.isCalled()) {
                        if (problem[0] != null) {
                            result.errback(new Failure(problem[0]));
                        } else {
                            result.callback(crashed[0]);
                        }
                    }
                });
            });
        }, "twine-conformance-reactor");
        thread.setDaemon(true);
        LAST_RUN_THREAD.set(thread);
        thread.start();
        watchdog[0] = trial.callLater(limit.plus(MARGIN), () -> {
            crashed[0] = true;
            reactor.callFromThread(reactor::crash);
            watchdog[0] = trial.callLater(MARGIN, () -> {
                if (!result.isCalled()) {
                    thread.interrupt();
                    result.errback(new Failure(new AssertionError("run() did not return: the reactor ignored its own "
                            + "delayed call at the rule's limit (" + seconds(limit) + ") and a crash() sent through "
                            + "callFromThread; its thread is left running")));
                }
            });
        });
        return result;
    }

    private static <T> void schedule(Reactor reactor, Duration limit, Function<? super Reactor, ? extends Deferred<T>> body,
            Object[] outcome) {
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
            result.addVoidBoth((value, failure) -> {
                if (outcome[1] == null) {
                    outcome[0] = value;
                    outcome[1] = failure == null ? "ok" : failure;
                }
                stop(reactor);
            });
        });
        reactor.callLater(limit, () -> {
            if (outcome[1] == null) {
                outcome[1] = new Failure(new AssertionError("did not finish within " + seconds(limit)
                        + ": what the rule waited for never happened"));
                stop(reactor);
            }
        });
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
