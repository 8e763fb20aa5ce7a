package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.defer.ThrowingSupplier;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The running test, given to a {@link TrialTest}, {@link SetUp} or {@link TearDown} method that
 * declares a parameter of this type. Use it on the reactor thread. The engine provides it; there is
 * no need to subclass it.
 */
@API(status = STABLE, since = "0.1")
public abstract class TrialContext {

    /** For the engine. */
    protected TrialContext() {
    }

    /** The reactor the test runs on (its class's). */
    public abstract Reactor reactor();

    /** {@code ClassName.methodName}. */
    public abstract String testName();

    /**
     * Publishes a report entry for this test (JUnit's {@code ReportEntry}: Surefire and IDEs show
     * it, listeners receive it), after the test has run. A later value for a key replaces an earlier one.
     */
    public abstract void publishEntry(String key, String value);

    /** The test method (set-ups and tear-downs see the test they run for). */
    public abstract java.lang.reflect.Method testMethod();

    /**
     * The provider the test's reactor came from (selected by {@code twine.reactor.provider}), for a
     * test that needs reactors of its own: each {@code createReactor()} is a new one, not running.
     */
    public abstract ReactorProvider reactorProvider();

    /**
     * A JUnit configuration parameter of this run ({@code junit-platform.properties}, {@code -D},
     * a suite's {@code @ConfigurationParameter}), for tests with settings of their own.
     */
    public abstract Optional<String> configurationParameter(String key);

    /**
     * Adds a cleanup: cleanups run after the test, last added first, before the tear-downs (as in
     * trial), even when the test or its set-up failed. A cleanup may return a Deferred, which is
     * waited for before the next runs; one that fails is reported and the others still run.
     */
    public abstract void addCleanup(ThrowingSupplier<? extends Deferred<?>> cleanup);

    /** Adds a cleanup that returns nothing to wait for. */
    public abstract void addCleanup(Runnable cleanup);

    /**
     * Removes and returns the errors logged so far during this test (Deferred failures left
     * unhandled, exceptions the reactor caught from protocol code) that are of one of {@code
     * types}, or all of them when none is given. Errors not flushed fail the test.
     */
    @SafeVarargs
    public final List<Failure> flushLoggedErrors(Class<? extends Throwable>... types) {
        return flush(List.of(types));
    }

    /** Removes and returns the logged errors of one of {@code types} (all when empty). */
    protected abstract List<Failure> flush(List<Class<? extends Throwable>> types);
}
