package dev.twine.trial.engine.execution;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.defer.ErrorLog;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.LoggedErrorsError;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.Todo;
import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.engine.discovery.Declarations;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.opentest4j.TestAbortedException;

/**
 * Internal. One test class's reactor, running on a thread of its own (the class's reactor thread)
 * for as long as the class's tests run. It owns the reactor, that thread and its thread group, and
 * what the class's tests share (set-ups, tear-downs, class timeout and todo). The engine thread
 * calls {@link #start}, {@link #runTest} and {@link #stop}; each test is a {@link TestRun}, handed
 * over one at a time, which the engine thread waits for. Only the loop itself, and its end, run on
 * the reactor thread.
 */
@API(status = INTERNAL, since = "0.1")
public final class ClassRun {
    private static final long START_SECONDS = 30;
    private static final long STOP_SECONDS = 30;
    /** How long a class whose reactor thread was blocked waits for it to stop once interrupted. */
    private static final long BLOCKED_STOP_SECONDS = 5;

    private final Class<?> testClass;
    private final Reactor reactor;
    private final ReactorProvider provider;
    private final String providerName;
    private final TrialConfiguration config;
    private final ThreadGroup threads;
    private final Thread thread;
    /** Null when output is not captured. */
    private final OutputCapture outputCapture;
    /** Looked up once per class: a class may have thousands of tests. */
    private final List<Method> setUps;
    private final List<Method> tearDowns;
    private final Duration classTimeout;
    private final Todo classTodo;
    private final TestErrorLog betweenTests = new TestErrorLog();
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Throwable loopFailure;
    private volatile String blockedBy;
    /** The test running now, if any. */
    private volatile TestRun current;
    /** Set once the engine itself stops the reactor; a stop before that is a test's. */
    private volatile boolean stopping;
    /** The test that stopped the reactor, if one did. */
    private volatile String stoppedBy;

    private ClassRun(Class<?> testClass, ReactorProvider provider, TrialConfiguration config, OutputCapture outputCapture) {
        this.testClass = testClass;
        this.outputCapture = outputCapture;
        this.reactor = provider.createReactor();
        this.provider = provider;
        this.providerName = provider.name();
        this.config = config;
        this.setUps = List.copyOf(Declarations.methods(testClass, SetUp.class));
        List<Method> reversed = new ArrayList<>(Declarations.methods(testClass, TearDown.class));
        Collections.reverse(reversed);
        this.tearDowns = List.copyOf(reversed);
        this.classTimeout = TestRun.timeoutOf(testClass, config.timeout());
        this.classTodo = testClass.getAnnotation(Todo.class);
        // Threads the tests start inherit this group, so the janitor can tell them from other classes'
        // when classes run in parallel.
        this.threads = new ThreadGroup("twine-trial-" + testClass.getSimpleName());
        this.thread = new Thread(threads, this::loop, "twine-trial-" + testClass.getSimpleName());
        this.thread.setDaemon(true);
    }

    /**
     * Creates the class's reactor and runs it on its own thread; returns once it is running. With
     * an {@code outputCapture}, what each test prints on the class's threads is reported on it.
     */
    public static ClassRun start(Class<?> testClass, ReactorProvider provider, TrialConfiguration config,
            OutputCapture outputCapture) throws InterruptedException {
        ClassRun run = new ClassRun(testClass, provider, config, outputCapture);
        run.reactor.callWhenRunning(run.running::countDown);
        run.thread.start();
        if (!run.running.await(START_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the " + run.providerName + " reactor for " + testClass.getName()
                    + " did not start running within " + START_SECONDS + " s", run.loopFailure);
        }
        return run;
    }

    private void loop() {
        try (ErrorLog.Binding ignored = ErrorLog.bind(betweenTests)) {
            reactor.run();
        } catch (Throwable e) {
            loopFailure = e;
            running.countDown();
        } finally {
            TestRun test = stopping ? null : current;
            if (test != null) {
                stoppedBy = test.testName();
            }
            finished.countDown(); // before the test is told, so that the engine sees the reactor stopped
            if (test != null) {
                test.reactorStopped(loopFailure);
            }
        }
    }

    Reactor reactor() {
        return reactor;
    }

    ReactorProvider provider() {
        return provider;
    }

    String providerName() {
        return providerName;
    }

    TrialConfiguration config() {
        return config;
    }

    /** The set-up methods, superclass ones first. */
    List<Method> setUps() {
        return setUps;
    }

    /** The tear-down methods, subclass ones first. */
    List<Method> tearDowns() {
        return tearDowns;
    }

    /** The timeout of a test without its own: the class's, else the configured default. */
    Duration classTimeout() {
        return classTimeout;
    }

    /** The class's {@code @Todo}, or null. */
    Todo classTodo() {
        return classTodo;
    }

    /** The thread group of the class's reactor thread, and so of the threads its tests start. */
    ThreadGroup threadGroup() {
        return threads;
    }

    Thread thread() {
        return thread;
    }

    void blockedBy(String testName) {
        blockedBy = testName;
    }

    /** Runs one test of the class on the reactor thread and waits for it. Engine thread. */
    public Outcome runTest(Method method) throws InterruptedException {
        return runTest(method, null);
    }

    /**
     * Runs one test of the class on the reactor thread and waits for it; {@code seed} is the seed
     * of its seeded parameter, or null when it takes none. Engine thread.
     */
    public Outcome runTest(Method method, Long seed) throws InterruptedException {
        if (blockedBy != null) {
            Outcome outcome = new Outcome();
            outcome.abort(new TestAbortedException("not run: the reactor thread of " + testClass.getSimpleName()
                    + " is blocked by " + blockedBy));
            return outcome;
        }
        if (finished.getCount() == 0) {
            Outcome outcome = new Outcome();
            if (stoppedBy != null) {
                outcome.abort(new TestAbortedException("not run: " + stoppedBy + " stopped the reactor of "
                        + testClass.getSimpleName()));
            } else {
                outcome.error(new IllegalStateException("the reactor of " + testClass.getName() + " has stopped", loopFailure));
            }
            return outcome;
        }
        TestRun test = new TestRun(this, testClass, method, seed);
        current = test;
        OutputCapture.Recording output = outputCapture == null ? null : outputCapture.start(threads);
        Outcome outcome = null;
        try {
            outcome = test.runBlocking();
            if (blockedBy != null) {
                test.detach();
            }
            return outcome;
        } finally {
            current = null;
            if (output != null) {
                Map<String, String> printed = output.stop();
                if (outcome != null) {
                    outcome.printed(printed);
                }
            }
        }
    }

    /**
     * Stops the reactor and waits for its thread. Reports what went wrong outside the tests: errors
     * logged between tests, a reactor that failed or would not stop.
     */
    public void stop() throws Exception {
        List<Throwable> problems = new ArrayList<>();
        stopping = true;
        if (finished.getCount() > 0) {
            reactor.callFromThread(() -> {
                if (reactor.isRunning()) {
                    reactor.stop();
                }
            });
            if (blockedBy != null) {
                thread.interrupt(); // wakes a thread blocked in sleep, wait or join, so that the stop above can run
            }
            long wait = blockedBy != null ? BLOCKED_STOP_SECONDS : STOP_SECONDS;
            if (!finished.await(wait, TimeUnit.SECONDS)) {
                thread.interrupt();
                if (blockedBy == null) {
                    problems.add(new IllegalStateException("the reactor of " + testClass.getName() + " did not stop within "
                            + STOP_SECONDS + " s"));
                }
                // A blocked thread that does not wake is left behind, detached: the blocked test was reported.
            }
        }
        if (loopFailure != null) {
            problems.add(new IllegalStateException("the reactor of " + testClass.getName() + " failed", loopFailure));
        }
        if (!betweenTests.isEmpty()) {
            problems.add(new LoggedErrorsError(betweenTests.whys(), betweenTests.failures()));
        }
        if (problems.size() == 1) {
            Throwable problem = problems.get(0);
            if (problem instanceof Error error) {
                throw error;
            }
            throw (Exception) problem;
        }
        if (problems.size() > 1) {
            throw new org.opentest4j.MultipleFailuresError("stopping the reactor of " + testClass.getName(), problems);
        }
    }
}
