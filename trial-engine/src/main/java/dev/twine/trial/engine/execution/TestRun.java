package dev.twine.trial.engine.execution;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredTimeoutException;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.defer.ThrowingSupplier;
import dev.twine.reactor.Reactor;
import dev.twine.trial.ExpectedFailure;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.Timeout;
import dev.twine.trial.Todo;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTimeoutError;
import dev.twine.trial.engine.discovery.Declarations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.platform.commons.support.AnnotationSupport;
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

    /** Timeouts are timed off the reactor, so that tests see only their own delayed calls. */
    private static final ScheduledThreadPoolExecutor TIMERS = timers();

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
    private volatile String phase = "starting";
    private volatile long phaseStarted = System.nanoTime();

    TestRun(ClassRun run, Class<?> testClass, Method method) {
        this.run = run;
        this.reactor = run.reactor();
        this.testClass = testClass;
        this.method = method;
        this.testName = testClass.getSimpleName() + "." + method.getName();
        this.timeout = timeoutOf(method, testClass, run.config().timeout());
        Todo onMethod = AnnotationSupport.findAnnotation(method, Todo.class).orElse(null);
        this.todo = onMethod != null ? onMethod : AnnotationSupport.findAnnotation(testClass, Todo.class).orElse(null);
    }

    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "twine-trial-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    static Duration timeoutOf(Method method, Class<?> testClass, Duration fallback) {
        Timeout annotation = AnnotationSupport.findAnnotation(method, Timeout.class)
                .or(() -> AnnotationSupport.findAnnotation(testClass, Timeout.class)).orElse(null);
        if (annotation == null) {
            return fallback;
        }
        return Duration.ofNanos(annotation.unit().toNanos(annotation.value()));
    }

    // ------------------------------------------------------------------------------------------
    // On the engine thread

    Outcome runBlocking() throws InterruptedException {
        reactor.callFromThread(this::begin);
        long grace = timeout.plus(blockedGrace(timeout)).toNanos();
        while (true) {
            try {
                return done.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                long busy = System.nanoTime() - phaseStarted;
                if (busy > grace) {
                    return blocked(busy);
                }
            } catch (ExecutionException e) {
                Outcome broken = new Outcome();
                broken.error(e.getCause());
                return broken;
            }
        }
    }

    /** The reactor thread has not come back: user code blocks it. Give up on this class's reactor. */
    private Outcome blocked(long busyNanos) {
        run.blockedBy(testName);
        StackTraceElement[] stack = run.thread().getStackTrace();
        TrialTimeoutError error = new TrialTimeoutError(testName + " blocked the reactor thread: it has been busy in "
                + phase + " for " + seconds(Duration.ofNanos(busyNanos)) + " (the timeout is " + seconds(timeout)
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
        janitor = new Janitor(reactor, run.config());
        if (!construct()) {
            afterTest(false);
            return;
        }
        runLifecycle(SetUp.class, false).addCallback(setUpOk -> {
            if (!setUpOk) {
                afterTest(false);
                return null;
            }
            phase("the test", () -> invoke(method), method.getReturnType() == void.class).addCallback(testOk -> {
                afterTest(true);
                return null;
            });
            return null;
        });
    }

    private boolean construct() {
        phase = "constructing " + testClass.getSimpleName();
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

    /** Cleanups always; tear-downs when the set-ups succeeded; then the janitor. */
    private void afterTest(boolean setUpSucceeded) {
        runCleanups().addDeferredCallback(ignored -> setUpSucceeded
                ? runLifecycle(TearDown.class, true) : Deferred.succeed(true))
                .addDeferredCallback(ignored -> janitor.spin())
                .addCallback(ignored -> {
                    finish();
                    return null;
                }).addErrback(failure -> {
                    record(failure.value());
                    finish();
                    return null;
                });
    }

    private Deferred<Boolean> runLifecycle(Class<? extends java.lang.annotation.Annotation> kind, boolean reverse) {
        List<Method> methods = new ArrayList<>(Declarations.methods(testClass, kind));
        if (reverse) {
            Collections.reverse(methods);
        }
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

    private Deferred<Boolean> runCleanups() {
        Deferred<Boolean> chain = Deferred.succeed(true);
        while (!cleanups.isEmpty()) {
            ThrowingSupplier<? extends Deferred<?>> cleanup = cleanups.pop();
            chain = chain.addDeferredCallback(ok -> phase("a cleanup", cleanup::get, true).addCallback(thisOk -> ok && thisOk));
        }
        return chain;
    }

    /**
     * Runs one phase and waits for what it returns, within the timeout. The Deferred always
     * succeeds, with whether the phase did; errors go to the outcome.
     */
    private Deferred<Boolean> phase(String name, ThrowingSupplier<?> work, boolean nullMeansDone) {
        phase = name;
        phaseStarted = System.nanoTime();
        Object result;
        try {
            result = work.get();
        } catch (Throwable e) {
            record(e);
            return Deferred.succeed(false);
        }
        Deferred<?> waitingFor;
        if (result == null) {
            if (nullMeansDone) {
                return Deferred.succeed(true);
            }
            record(new IllegalStateException(name + " returned null instead of a Deferred or CompletionStage"));
            return Deferred.succeed(false);
        } else if (result instanceof Deferred<?> deferred) {
            waitingFor = deferred;
        } else if (result instanceof CompletionStage<?> stage) {
            waitingFor = Deferred.fromCompletionStage(stage, reactor::callFromThread);
        } else {
            record(new IllegalStateException(name + " returned " + result + "; expected a Deferred or a CompletionStage"));
            return Deferred.succeed(false);
        }
        Deferred<Boolean> finished = new Deferred<>();
        boolean[] timedOut = {false};
        ScheduledFuture<?> timer = TIMERS.schedule(() -> reactor.callFromThread(() -> {
            if (finished.isCalled()) {
                return;
            }
            timedOut[0] = true;
            record(new TrialTimeoutError(testName + " timed out after " + seconds(timeout) + " in " + name
                    + ", waiting for " + waitingFor + " (" + reactor.getDelayedCalls().size() + " delayed calls pending); "
                    + "it was cancelled"));
            waitingFor.cancel();
            if (!finished.isCalled()) {
                finished.callback(false); // it ignored the cancellation: stop waiting for it
            }
        }), timeout.toNanos(), TimeUnit.NANOSECONDS);
        waitingFor.addBoth((value, failure) -> {
            timer.cancel(false);
            if (failure != null && !(timedOut[0] && isCancellation(failure))) {
                record(failure.value());
            }
            if (!finished.isCalled()) {
                finished.callback(failure == null && !timedOut[0]);
            }
            return null;
        });
        return finished;
    }

    private static boolean isCancellation(Failure failure) {
        return failure.check(dev.twine.defer.CancelledException.class, DeferredTimeoutException.class,
                java.util.concurrent.CancellationException.class) != null;
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
        if (error instanceof TestAbortedException aborted) {
            outcome.abort(aborted);
        } else {
            outcome.error(error);
        }
    }

    private void finish() {
        try {
            janitor.check(log, outcome, testName);
        } catch (Throwable e) {
            outcome.error(e);
        } finally {
            binding.close();
        }
        applyTodo();
        done.complete(outcome);
    }

    private void applyTodo() {
        if (todo == null || outcome.aborted()) {
            return;
        }
        if (outcome.failed()) {
            Throwable failure = outcome.failure();
            boolean expected = todo.expecting().length == 0 || outcome.errors().stream()
                    .allMatch(e -> java.util.Arrays.stream(todo.expecting()).anyMatch(t -> t.isInstance(e)));
            if (expected) {
                outcome.errors().clear();
                outcome.abort(new ExpectedFailure(todo.value(), failure));
            }
        } else {
            outcome.error(new AssertionError("Unexpected success: " + testName + " is marked @Todo(\"" + todo.value()
                    + "\") but passed; remove the mark"));
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
