package dev.twine.trial.engine.execution;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.testing.SeededParameters;
import dev.twine.trial.DirtyReactorError;
import dev.twine.trial.TrialContext;
import dev.twine.trial.engine.config.SeededRuns;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.opentest4j.TestAbortedException;

/**
 * Creates one test's instance of the test class and calls its methods (set-ups, the test,
 * tear-downs), supplying each parameter: the {@link TrialContext}, or the reactor when the
 * parameter's type is one the reactor implements. Used on the reactor thread only, by the {@link
 * PhaseSequence}; it owns the instance.
 */
final class Invoker {
    private final Class<?> testClass;
    private final Reactor reactor;
    private final String providerName;
    private final TrialContext context;
    private final Long seed;
    private Object instance;
    /** The seeded parameter (a Simulation) made for this test's seed, once the test asked for it. */
    private Object seeded;
    private SeededParameters seededBy;

    /** {@code seed}: the seed of the test's seeded parameter, or null when it takes none. */
    Invoker(Class<?> testClass, Reactor reactor, String providerName, TrialContext context, Long seed) {
        this.testClass = testClass;
        this.reactor = reactor;
        this.providerName = providerName;
        this.context = context;
        this.seed = seed;
    }

    /**
     * Creates the instance with the class's no-argument constructor (any visibility).
     *
     * @throws InvocationTargetException wrapping what the constructor threw
     */
    void construct() throws ReflectiveOperationException {
        var constructor = testClass.getDeclaredConstructor();
        constructor.setAccessible(true);
        instance = constructor.newInstance();
    }

    /**
     * Calls {@code target} on the instance and returns what it returned; throws what it threw
     * (unwrapped). A parameter the reactor does not provide (a capability it lacks) skips the test
     * with {@link TestAbortedException}.
     */
    Object invoke(Method target) throws Exception {
        Object[] arguments = new Object[target.getParameterCount()];
        Class<?>[] types = target.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == TrialContext.class) {
                arguments[i] = context;
            } else if (seed != null && seeded == null && SeededRuns.providerFor(types[i]).isPresent()) {
                seededBy = SeededRuns.providerFor(types[i]).get();
                seeded = seededBy.create(types[i], target, seed);
                arguments[i] = seeded;
            } else if (types[i].isInstance(reactor)) {
                arguments[i] = reactor;
            } else {
                throw new TestAbortedException("the " + providerName + " reactor does not provide "
                        + types[i].getSimpleName() + " (capability not declared)");
            }
        }
        try {
            target.setAccessible(true);
            Object returned = target.invoke(instance, arguments);
            return seeded != null ? driveSeeded(returned) : returned;
        } catch (InvocationTargetException e) {
            Throwable cause = seeded != null ? namingTheSeed(e.getCause()) : e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * A Deferred the seeded test returned fires inside its simulation: the simulation runs until it
     * has, and a failure then names the seed. Anything else is returned as it is.
     */
    private Object driveSeeded(Object returned) throws Exception {
        if (!(returned instanceof Deferred<?> result)) {
            return returned;
        }
        try {
            return seededBy.drive(seeded, result).addErrback(failure -> {
                throw asException(namingTheSeed(failure.value()));
            });
        } catch (RuntimeException | Error e) {
            throw asException(namingTheSeed(e));
        }
    }

    /** {@code error} as the seeded parameter describes it (with its seed), unless it is a skip. */
    private Throwable namingTheSeed(Throwable error) {
        return error instanceof TestAbortedException ? error : seededBy.failure(seeded, error);
    }

    private static Exception asException(Throwable error) {
        if (error instanceof Exception exception) {
            return exception;
        }
        if (error instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(error);
    }

    /** What the seeded parameter's run left behind (per simulated host), empty if none or no seeded parameter. */
    List<String> seededLeftovers() {
        return seeded == null ? List.of() : seededBy.leftovers(seeded);
    }

    /** The leftovers as an error naming the seed. */
    Throwable seededUnclean(List<String> leftovers) {
        return seededBy.failure(seeded, new DirtyReactorError(leftovers));
    }

}
