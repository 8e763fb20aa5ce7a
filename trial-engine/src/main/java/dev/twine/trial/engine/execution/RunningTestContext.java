package dev.twine.trial.engine.execution;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.defer.ThrowingSupplier;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.TrialContext;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link TrialContext} one test's methods are given. Used on the reactor thread, where the
 * test's methods run. It owns nothing of its own: cleanups go onto the {@link PhaseSequence}'s
 * stack, report entries into the test's {@link Outcome}, flushes take from the test's error log.
 */
final class RunningTestContext extends TrialContext {
    private final ClassRun run;
    private final String testName;
    private final Method method;
    private final Outcome outcome;
    private final TestErrorLog log;
    private final ArrayDeque<ThrowingSupplier<? extends Deferred<?>>> cleanups;

    RunningTestContext(ClassRun run, String testName, Method method, Outcome outcome, TestErrorLog log,
            ArrayDeque<ThrowingSupplier<? extends Deferred<?>>> cleanups) {
        this.run = run;
        this.testName = testName;
        this.method = method;
        this.outcome = outcome;
        this.log = log;
        this.cleanups = cleanups;
    }

    @Override
    public Reactor reactor() {
        return run.reactor();
    }

    @Override
    public String testName() {
        return testName;
    }

    @Override
    public void publishEntry(String key, String value) {
        outcome.publish(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
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
        cleanups.push(Objects.requireNonNull(cleanup, "cleanup"));
    }

    @Override
    public void addCleanup(Runnable cleanup) {
        Objects.requireNonNull(cleanup, "cleanup");
        cleanups.push(() -> {
            cleanup.run();
            return null;
        });
    }

    @Override
    protected List<Failure> flush(List<Class<? extends Throwable>> types) {
        return log.flush(types);
    }
}
