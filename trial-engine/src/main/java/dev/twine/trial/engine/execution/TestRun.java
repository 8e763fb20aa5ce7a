package dev.twine.trial.engine.execution;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredTimeoutException;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.defer.ThrowingSupplier;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.ExpectedFailure;
import dev.twine.trial.ReactorStoppedError;
import dev.twine.trial.ReactorThreadError;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.Timeout;
import dev.twine.trial.Todo;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTimeoutError;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opentest4j.TestAbortedException;

/**
 * One run of one test, on its class's reactor thread: set-ups, the test, cleanups (last added
 * first), tear-downs, then the janitor; each phase waited for within the timeout. The engine thread
 * waits in {@link #runBlocking()}, watching for a reactor thread that user code has blocked.
 */
final class TestRun {
    /**
     * How long past a phase's timeout the engine waits before it calls the reactor thread blocked:
     * as long as the timeout, between 1 and 5 seconds.
     */
    private static Duration blockedGrace(Duration timeout) {
        Duration oneSecond = Duration.ofSeconds(1);
        Duration fiveSeconds = Duration.ofSeconds(5);
        return timeout.compareTo(oneSecond) < 0 ? oneSecond : timeout.compareTo(fiveSeconds) > 0 ? fiveSeconds : timeout;
    }

    /**
     * One phase of the test (a set-up, the test, a cleanup, a tear-down). Created and changed on the
     * reactor thread; the engine thread, which times it, reads {@link #started} and posts
     * {@link #timeOut} when the timeout passes. Timing it there rather than with a delayed call
     * keeps the reactor's delayed calls the test's own.
     */
    private static final class Phase {
        final String name;
        final long started = System.nanoTime();
        /** Set when the phase waits for a Deferred: fired with whether the phase succeeded. */
        Deferred<Boolean> finished;
        Deferred<?> waitingFor;
        boolean timedOut;

        Phase(String name) {
            this.name = name;
        }
    }

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
    private Object instance;
    private ErrorLog.Binding binding;
    private Janitor janitor;
    private volatile Phase phase = new Phase("starting");
    /** Set by the engine when it gave up on this test (its reactor thread blocked): nothing more of it runs. */
    private volatile boolean detached;
    /** The phase that runs the test method itself, once it has started; its errors are the ones @Todo expects. */
    private Phase testPhase;
    private final List<Throwable> testMethodErrors = new ArrayList<>();
    private final ThrowingSupplier<?> testMethodWork = this::invokeTestMethod;

    TestRun(ClassRun run, Class<?> testClass, Method method) {
        this.run = run;
        this.reactor = run.reactor();
        this.testClass = testClass;
        this.method = method;
        this.testName = testClass.getSimpleName() + "." + method.getName();
        this.timeout = timeoutOf(method, run.classTimeout());
        this.todo = method.isAnnotationPresent(Todo.class) ? method.getAnnotation(Todo.class) : run.classTodo();
    }

    /** The {@code @Timeout} of {@code element} (a test method or class), else {@code fallback}. */
    static Duration timeoutOf(java.lang.reflect.AnnotatedElement element, Duration fallback) {
        Timeout annotation = element.getAnnotation(Timeout.class);
        return annotation == null ? fallback : Duration.ofNanos(annotation.unit().toNanos(annotation.value()));
    }

    // ------------------------------------------------------------------------------------------
    // On the engine thread

    /**
     * Starts the test on the reactor thread and waits for it, timing each phase: when one runs past
     * the timeout, asks the reactor thread to time it out; when the reactor thread does not get to
     * that within the grace period, it is blocked.
     */
    Outcome runBlocking() throws InterruptedException {
        reactor.callFromThread(this::begin);
        long timeoutNanos = timeout.toNanos();
        long graceNanos = blockedGrace(timeout).toNanos();
        Phase watched = null;
        long timeOutPosted = 0;
        while (true) {
            Phase current = phase;
            if (current != watched) {
                watched = current;
                timeOutPosted = 0;
            }
            long now = System.nanoTime();
            long wait;
            if (timeOutPosted == 0) {
                wait = timeoutNanos - (now - current.started); // no overflow for a timeout near Long.MAX_VALUE ns
                if (wait <= 0) {
                    timeOutPosted = now;
                    reactor.callFromThread(() -> timeOut(current));
                    continue;
                }
            } else {
                wait = graceNanos - (now - timeOutPosted);
                if (wait <= 0) {
                    return blocked(now - current.started);
                }
            }
            try {
                return done.get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillRunning) {
                // look again
            } catch (ExecutionException e) {
                Outcome broken = new Outcome();
                broken.error(e.getCause());
                return broken;
            }
        }
    }

    /** Gives up on this test: if its reactor thread comes back, none of its remaining phases run. */
    void detach() {
        detached = true;
    }

    String testName() {
        return testName;
    }

    /** What the test was doing: the phase's name. */
    String phaseName() {
        return phase.name;
    }

    /**
     * The class's reactor stopped while this test ran (reactor thread, as its loop ends): the test
     * errors at once instead of waiting for its timeout.
     */
    void reactorStopped(String during, Throwable loopFailure) {
        if (done.isDone()) {
            return;
        }
        ReactorStoppedError error = new ReactorStoppedError(testName + " stopped the reactor (in " + during + "); trial "
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

    /** The reactor thread has not come back: user code blocks it. Give up on this class's reactor. */
    private Outcome blocked(long busyNanos) {
        run.blockedBy(testName);
        StackTraceElement[] stack = run.thread().getStackTrace();
        TrialTimeoutError error = new TrialTimeoutError(testName + " blocked the reactor thread: it has been busy in "
                + phase.name + " for " + seconds(Duration.ofNanos(busyNanos)) + " (the timeout is " + seconds(timeout)
                + " and cannot fire while the thread is blocked). Code on the reactor thread must not block; "
                + "use deferToThread for blocking work. The reactor thread's stack is attached.");
        Throwable where = new Throwable("the reactor thread (" + run.thread().getName() + ") now");
        where.setStackTrace(stack);
        error.initCause(where);
        Outcome blocked = new Outcome();
        blocked.error(error);
        return blocked;
    }

    // ------------------------------------------------------------------------------------------
    // On the reactor thread

    private void begin() {
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
            test.addCallback(testOk -> {
                afterTest(true);
                return null;
            });
            return null;
        });
    }

    private boolean construct() {
        phase = new Phase("constructing " + testClass.getSimpleName());
        try {
            var constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            instance = constructor.newInstance();
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
                    return janitor.settle();
                })
                .addCallback(ignored -> {
                    finish();
                    return null;
                }).addErrback(failure -> {
                    record(failure.value());
                    finish();
                    return null;
                });
    }

    private Deferred<Boolean> runLifecycle(Class<? extends java.lang.annotation.Annotation> kind) {
        List<Method> methods = kind == SetUp.class ? run.setUps() : run.tearDowns();
        Deferred<Boolean> chain = Deferred.succeed(true);
        String name = kind == SetUp.class ? "set-up " : "tear-down ";
        for (Method lifecycle : methods) {
            chain = chain.addDeferredCallback(ok -> ok || kind == TearDown.class
                    ? phase(name + lifecycle.getName(), () -> invoke(lifecycle), lifecycle.getReturnType() == void.class)
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
        waitingFor.addBoth((value, failure) -> {
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
            return null;
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

    /** Posted by the engine thread when {@code timed} has run past the timeout: cancels what it waits for. */
    private void timeOut(Phase timed) {
        Deferred<Boolean> finished = timed.finished;
        if (finished == null || finished.isCalled()) {
            return; // it finished (or ran synchronously, and the engine thread saw it was slow)
        }
        timed.timedOut = true;
        record(timed, new TrialTimeoutError(testName + " timed out after " + seconds(timeout) + " in " + timed.name
                + ", waiting for " + timed.waitingFor + " (" + reactor.getDelayedCalls().size() + " delayed calls pending); "
                + "it was cancelled"));
        timed.waitingFor.cancel();
        if (!finished.isCalled()) {
            finished.callback(false); // it ignored the cancellation: stop waiting for it
        }
    }

    private static boolean isCancellation(Failure failure) {
        return failure.check(dev.twine.defer.CancelledException.class, DeferredTimeoutException.class,
                java.util.concurrent.CancellationException.class) != null;
    }

    private Object invokeTestMethod() throws Exception {
        return invoke(method);
    }

    private Object invoke(Method target) throws Exception {
        Object[] arguments = new Object[target.getParameterCount()];
        Class<?>[] types = target.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == TrialContext.class) {
                arguments[i] = context;
            } else if (types[i].isInstance(reactor)) {
                arguments[i] = reactor;
            } else {
                throw new TestAbortedException("the " + run.providerName() + " reactor does not provide "
                        + types[i].getSimpleName() + " (capability not declared)");
            }
        }
        try {
            target.setAccessible(true);
            return target.invoke(instance, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private void record(Throwable error) {
        record(error, phase);
    }

    private void record(Phase during, Throwable error) {
        record(error, during);
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
                .allMatch(e -> java.util.Arrays.stream(todo.expecting()).anyMatch(t -> t.isInstance(e)));
        if (expected) {
            Throwable failure = testMethodErrors.size() == 1 ? testMethodErrors.get(0)
                    : new org.opentest4j.MultipleFailuresError(null, testMethodErrors);
            outcome.errors().removeIf(e -> testMethodErrors.stream().anyMatch(own -> own == e));
            outcome.abort(new ExpectedFailure(todo.value(), failure));
        }
    }

    // ------------------------------------------------------------------------------------------
    // The TrialContext the test's methods are given

    private final TrialContext context = new TrialContext() {
        @Override
        public Reactor reactor() {
            return reactor;
        }

        @Override
        public String testName() {
            return testName;
        }

        @Override
        public void publishEntry(String key, String value) {
            outcome.publish(java.util.Objects.requireNonNull(key, "key"), java.util.Objects.requireNonNull(value, "value"));
        }

        @Override
        public Method testMethod() {
            return method;
        }

        @Override
        public ReactorProvider reactorProvider() {
            return run.provider();
        }

        @Override
        public Optional<String> configurationParameter(String key) {
            return run.config().parameters().get(key);
        }

        @Override
        public void addCleanup(ThrowingSupplier<? extends Deferred<?>> cleanup) {
            cleanups.push(java.util.Objects.requireNonNull(cleanup, "cleanup"));
        }

        @Override
        public void addCleanup(Runnable cleanup) {
            java.util.Objects.requireNonNull(cleanup, "cleanup");
            cleanups.push(() -> {
                cleanup.run();
                return null;
            });
        }

        @Override
        protected List<Failure> flush(List<Class<? extends Throwable>> types) {
            return log.flush(types);
        }
    };

    static String seconds(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros();
        return seconds.toPlainString() + " s";
    }
}
