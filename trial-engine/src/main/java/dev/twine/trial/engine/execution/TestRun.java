package dev.twine.trial.engine.execution;

import dev.twine.trial.Timeout;
import dev.twine.trial.Todo;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * One run of one test, as its {@link ClassRun} sees it: the test's name, timeout and todo, and the
 * two pieces that run it. The {@link PhaseSequence} runs the phases on the class's reactor thread
 * (calling the test's methods through an {@link Invoker}, which gives them a {@link
 * RunningTestContext}); the {@link Watchdog} times them from the engine thread, which waits in
 * {@link #runBlocking()}.
 */
final class TestRun {
    private final ClassRun run;
    private final String testName;
    private final PhaseSequence sequence;
    private final Watchdog watchdog;

    TestRun(ClassRun run, Class<?> testClass, Method method, Long seed) {
        this.run = run;
        this.testName = testClass.getSimpleName() + "." + method.getName();
        Duration timeout = timeoutOf(method, run.classTimeout());
        Todo todo = method.isAnnotationPresent(Todo.class) ? method.getAnnotation(Todo.class) : run.classTodo();
        this.sequence = new PhaseSequence(run, testClass, method, testName, timeout, todo, seed);
        this.watchdog = new Watchdog(run, sequence, testName, timeout);
    }

    /** The {@code @Timeout} of {@code element} (a test method or class), else {@code fallback}. */
    static Duration timeoutOf(AnnotatedElement element, Duration fallback) {
        Timeout annotation = element.getAnnotation(Timeout.class);
        return annotation == null ? fallback : Duration.ofNanos(annotation.unit().toNanos(annotation.value()));
    }

    /** Starts the test on the reactor thread and waits for its outcome. Engine thread. */
    Outcome runBlocking() throws InterruptedException {
        run.reactor().callFromThread(sequence::begin);
        return watchdog.watch();
    }

    /** Gives up on this test: if its reactor thread comes back, none of its remaining phases run. */
    void detach() {
        sequence.detach();
    }

    String testName() {
        return testName;
    }

    /**
     * The class's reactor stopped while this test ran (reactor thread, as its loop ends): the test
     * errors at once instead of waiting for its timeout.
     */
    void reactorStopped(Throwable loopFailure) {
        sequence.reactorStopped(loopFailure);
    }

    static String seconds(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros();
        return seconds.toPlainString() + " s";
    }
}
