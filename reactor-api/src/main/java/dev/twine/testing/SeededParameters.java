package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import java.lang.reflect.Method;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A kind of test parameter that makes a test a pure function of a seed, such as reactor-sim's
 * {@code Simulation}: a test runner (the trial engine) that finds one through {@link
 * java.util.ServiceLoader} runs a test declaring such a parameter once per seed, gives it a fresh
 * parameter made from that seed each time, and lets the parameter drive what the test returns.
 *
 * <p>This interface is the seam between a runner and a simulation, so that neither depends on
 * the other; tests never use it directly.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SeededParameters {

    /** Whether a test parameter of {@code type} is one of this provider's. */
    boolean supports(Class<?> type);

    /**
     * The seeds {@code method} asks for (from its own annotation or its class's), or {@code
     * defaultCount} seeds from 1 when it names none.
     */
    Seeds seeds(Method method, int defaultCount);

    /** A fresh parameter of {@code type} for one run of {@code method} with {@code seed}. */
    Object create(Class<?> type, Method method, long seed);

    /**
     * Drives {@code parameter} until {@code result}, which a method given the parameter returned,
     * has fired (a simulation runs until then), and returns it, fired. Throws when it cannot fire
     * (the simulation became idle first, or hit a limit).
     */
    Deferred<?> drive(Object parameter, Deferred<?> result);

    /**
     * What the run left behind that a clean test must not (per simulated host: delayed calls,
     * listening ports, open connections), one line each; empty when clean.
     */
    List<String> leftovers(Object parameter);

    /** {@code error}, which failed the run of {@code parameter}, as an error that names its seed and how to replay it. */
    AssertionError failure(Object parameter, Throwable error);

    /**
     * {@code count} consecutive seeds from {@code first}.
     *
     * @param first the first seed
     * @param count how many (at least 1)
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    record Seeds(long first, int count) {
        /** Checks the count. */
        public Seeds {
            if (count < 1) {
                throw new IllegalArgumentException("at least one seed is needed, not " + count);
            }
        }

        /** The {@code index}th seed, from 0. */
        public long seed(int index) {
            return first + index;
        }
    }
}
