package dev.twine.trial.engine.execution;

import dev.twine.defer.CancelledException;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredTimeoutException;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.defer.ThrowingSupplier;
import dev.twine.reactor.Reactor;
import dev.twine.trial.ExpectedFailure;
import dev.twine.trial.ReactorStoppedError;
import dev.twine.trial.ReactorThreadError;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.Todo;
import dev.twine.trial.TrialTimeoutError;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;

/**
 * The phases of one test, on its class's reactor thread: construct the instance, set-ups, the
 * test, cleanups (last added first), tear-downs (when the set-ups succeeded), the cleanups those
 * added, then the janitor; each phase's Deferred is waited for before the next starts. Runs on the
 * reactor thread only, except {@link #phase()}, {@link #done()} and {@link #detach()}, which the
 * engine thread's {@link Watchdog} and {@link ClassRun} use.
 *
 * <p>It owns the test's {@link Outcome} (every phase's errors, in order), its error log (bound to
 * the reactor thread while the test runs), its cleanup stack, and the janitor; it completes {@link
 * #done()} once, with the outcome, when the janitor has checked, or at once when the reactor
 * stops under the test.
 */
final class PhaseSequence {
    private final ClassRun run;
    private final Reactor reactor;
    private final Class<?> testClass;
    private final Method method;
    private final String testName;
    private final Duration timeout;
    private final Todo todo;
    private final TestErrorLog log = new TestErrorLog();
    private final Outcome outcome = new Outcome();
    private final ArrayDeque<ThrowingSupplier<? extends Deferred<?>>> cleanups = new ArrayDeque<>();
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private final Invoker invoker;
    private ErrorLog.Binding binding;
    private Janitor janitor;
    private volatile Phase phase = new Phase("starting");
    /** Set by the engine when it gave up on this test (its reactor thread blocked): nothing more of it runs. */
    private volatile boolean detached;
    /** The phase that runs the test method itself, once it has started; its errors are the ones @Todo expects. */
    private Phase testPhase;
    private final List<Throwable> testMethodErrors = new ArrayList<>();
    private final ThrowingSupplier<?> testMethodWork = this::invokeTestMethod;

    PhaseSequence(ClassRun run, Class<?> testClass, Method method, String testName, Duration timeout, Todo todo, Long seed) {
        this.run = run;
        this.reactor = run.reactor();
        this.testClass = testClass;
        this.method = method;
        this.testName = testName;
        this.timeout = timeout;
        this.todo = todo;
        this.invoker = new Invoker(testClass, reactor, run.providerName(),
                new RunningTestContext(run, testName, method, outcome, log, cleanups), seed);
    }

    // ------------------------------------------------------------------------------------------
    // Read by the engine thread

    /** The phase running now. Any thread. */
    Phase phase() {
        return phase;
    }

    /** Completed once, with the test's outcome, when the sequence is over. Any thread. */
    CompletableFuture<Outcome> done() {
        return done;
    }

    /** Gives up on this test: if its reactor thread comes back, none of its remaining phases run. Any thread. */
    void detach() {
        detached = true;
    }

    // ------------------------------------------------------------------------------------------
    // On the reactor thread

    /** Starts the test: binds its error log, notes what the janitor must compare with, runs the phases. */
    void begin() {
        binding = ErrorLog.bind(log);
        janitor = new Janitor(reactor, run.config(), run.threadGroup());
        if (!construct()) {
            afterTest(false);
            return;
        }
        runLifecycle(SetUp.class).addCallback(setUpOk -> {
            if (!setUpOk) {
                afterTest(false);
                return null;
            }
            Deferred<Boolean> test = phase("the test", testMethodWork, method.getReturnType() == void.class);
            test.addVoidCallback(testOk -> {
                afterTest(true);
            });
            return null;
        });
    }

    private boolean construct() {
        phase = new Phase("constructing " + testClass.getSimpleName());
        try {
            invoker.construct();
            return true;
        } catch (InvocationTargetException e) {
            record(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            record(e);
        }
        return false;
    }

    /**
     * Cleanups always; tear-downs when the set-ups succeeded; the cleanups those added; then the
     * janitor.
     */
    private void afterTest(boolean setUpSucceeded) {
        runCleanups().addDeferredCallback(ignored -> setUpSucceeded
                ? runLifecycle(TearDown.class) : Deferred.succeed(true))
                .addDeferredCallback(ignored -> runCleanups())
                .addDeferredCallback(ignored -> {
                    phase = new Phase("the janitor's check");
                    List<String> simulated = invoker.seededLeftovers();
                    if (!simulated.isEmpty()) {
                        record(invoker.seededUnclean(simulated));
                    }
                    return janitor.settle();
                })
                .addVoidCallback(ignored -> {
                    finish();
                }).addVoidErrback(failure -> {
                    record(failure.value());
                    finish();
                });
    }

    private Deferred<Boolean> runLifecycle(Class<? extends java.lang.annotation.Annotation> kind) {
        List<Method> methods = kind == SetUp.class ? run.setUps() : run.tearDowns();
        Deferred<Boolean> chain = Deferred.succeed(true);
        String name = kind == SetUp.class ? "set-up " : "tear-down ";
        for (Method lifecycle : methods) {
            chain = chain.addDeferredCallback(ok -> ok || kind == TearDown.class
                    ? phase(name + lifecycle.getName(), () -> invoker.invoke(lifecycle), lifecycle.getReturnType() == void.class)
                            .addCallback(thisOk -> ok && thisOk)
                    : Deferred.succeed(false));
        }
        return chain;
    }

    /** Runs the cleanups last in, first out, one at a time; one that a cleanup adds runs next. */
    private Deferred<Boolean> runCleanups() {
        if (cleanups.isEmpty()) {
            return Deferred.succeed(true);
        }
        ThrowingSupplier<? extends Deferred<?>> cleanup = cleanups.pop();
        return phase("a cleanup", cleanup::get, true)
                .addDeferredCallback(ok -> runCleanups().addCallback(restOk -> ok && restOk));
    }

    /**
     * Runs one phase and waits for what it returns, within the timeout. The Deferred always
     * succeeds, with whether the phase did; errors go to the outcome.
     */
    private Deferred<Boolean> phase(String name, ThrowingSupplier<?> work, boolean nullMeansDone) {
        if (detached) {
            return Deferred.succeed(false); // given up on: its class's run has moved on without it
        }
        Phase current = new Phase(name);
        phase = current;
        if (work == testMethodWork) {
            testPhase = current;
        }
        Object result;
        try {
            result = work.get();
        } catch (Throwable e) {
            record(e, current);
            return Deferred.succeed(false);
        }
        Deferred<?> waitingFor;
        if (result == null) {
            if (nullMeansDone) {
                return Deferred.succeed(true);
            }
            record(new IllegalStateException(name + " returned null instead of a Deferred or CompletionStage"), current);
            return Deferred.succeed(false);
        } else if (result instanceof Deferred<?> deferred) {
            waitingFor = deferred;
        } else if (result instanceof CompletionStage<?> stage) {
            waitingFor = Deferred.fromCompletionStage(stage, reactor::callFromThread);
        } else {
            record(new IllegalStateException(name + " returned " + result + "; expected a Deferred or a CompletionStage"),
                    current);
            return Deferred.succeed(false);
        }
        Deferred<Boolean> finished = new Deferred<>();
        current.finished = finished;
        current.waitingFor = waitingFor;
        waitingFor.addVoidBoth((value, failure) -> {
            Thread firedOn = Thread.currentThread();
            if (firedOn == run.thread()) {
                settle(current, finished, failure);
            } else {
                // Everything after this phase (cleanups, tear-downs, the janitor) must run on the reactor thread.
                reactor.callFromThread(() -> {
                    record(new ReactorThreadError("what " + name + " returned (" + waitingFor + ") fired on thread \""
                            + firedOn.getName() + "\", not on the reactor thread \"" + run.thread().getName()
                            + "\"; fire it on the reactor thread, for example with reactor.callFromThread"), current);
                    settle(current, finished, failure);
                });
            }
        });
        return finished;
    }

    /** The phase's Deferred fired: records its failure (unless it is the cancellation of a timeout) and goes on. */
    private void settle(Phase current, Deferred<Boolean> finished, Failure failure) {
        if (failure != null && !(current.timedOut && isCancellation(failure))) {
            record(failure.value(), current);
        }
        if (!finished.isCalled()) {
            finished.callback(failure == null && !current.timedOut);
        }
    }

    /** Posted by the watchdog when {@code timed} has run past the timeout: cancels what it waits for. */
    void timeOut(Phase timed) {
        Deferred<Boolean> finished = timed.finished;
        if (finished == null || finished.isCalled()) {
            return; // it finished (or ran synchronously, and the engine thread saw it was slow)
        }
        timed.timedOut = true;
        record(new TrialTimeoutError(testName + " timed out after " + TestRun.seconds(timeout) + " in " + timed.name
                + ", waiting for " + timed.waitingFor + " (" + reactor.getDelayedCalls().size() + " delayed calls pending); "
                + "it was cancelled"), timed);
        timed.waitingFor.cancel();
        if (!finished.isCalled()) {
            finished.callback(false); // it ignored the cancellation: stop waiting for it
        }
    }

    private static boolean isCancellation(Failure failure) {
        return failure.check(CancelledException.class, DeferredTimeoutException.class, CancellationException.class) != null;
    }

    private Object invokeTestMethod() throws Exception {
        return invoker.invoke(method);
    }

    private void record(Throwable error) {
        record(error, phase);
    }

    /** Records an error (or a skip) of the phase {@code during}; the test method's own are kept apart for @Todo. */
    private void record(Throwable error, Phase during) {
        if (error instanceof TestAbortedException aborted) {
            outcome.abort(aborted);
        } else {
            outcome.error(error);
            if (during == testPhase) {
                testMethodErrors.add(error);
            }
        }
    }

    private void finish() {
        try {
            if (run.config().forceGc()) {
                ErrorLog.reportGarbage();
            }
            janitor.check(log, outcome, testName);
        } catch (Throwable e) {
            outcome.error(e);
        } finally {
            binding.close();
        }
        applyTodo();
        done.complete(outcome);
    }

    /**
     * The class's reactor stopped while this test ran (reactor thread, as its loop ends): the test
     * errors at once instead of waiting for its timeout.
     */
    void reactorStopped(Throwable loopFailure) {
        if (done.isDone()) {
            return;
        }
        ReactorStoppedError error = new ReactorStoppedError(testName + " stopped the reactor (in " + phase.name + "); trial "
                + "runs every test of the class on one reactor, which must keep running: do not call stop() or crash() "
                + "from a test, or give the code under test a reactor of its own");
        if (loopFailure != null) {
            error.initCause(loopFailure);
        }
        outcome.error(error);
        if (binding != null) {
            binding.close();
        }
        done.complete(outcome);
    }

    /**
     * As trial does, @Todo applies to the test method's own failure only: a leftover the janitor
     * found, a logged error or a failing tear-down still fails the test, and a test method that
     * passed is an unexpected success whatever else went wrong.
     */
    private void applyTodo() {
        if (todo == null || (outcome.aborted() && testMethodErrors.isEmpty()) || testPhase == null) {
            return;
        }
        if (testMethodErrors.isEmpty()) {
            outcome.error(new dev.twine.trial.UnexpectedSuccess(testName, todo.value()));
            return;
        }
        boolean expected = todo.expecting().length == 0 || testMethodErrors.stream()
                .allMatch(e -> Arrays.stream(todo.expecting()).anyMatch(t -> t.isInstance(e)));
        if (expected) {
            Throwable failure = testMethodErrors.size() == 1 ? testMethodErrors.get(0)
                    : new MultipleFailuresError(null, testMethodErrors);
            outcome.errors().removeIf(e -> testMethodErrors.stream().anyMatch(own -> own == e));
            outcome.abort(new ExpectedFailure(todo.value(), failure));
        }
    }
}
