package dev.twine.trial.engine.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.testing.SeededParameters;
import dev.twine.testing.SeededParameters.Seeds;
import dev.twine.trial.TrialKeys;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apiguardian.api.API;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * Internal. The seeded parameters the class path offers ({@link SeededParameters} services, such
 * as reactor-sim's {@code Simulation}), and which seeds a test that takes one runs: its own
 * declaration, unless {@value TrialKeys#SIM_SEED} or {@value TrialKeys#SIM_RUNS} says otherwise.
 */
@API(status = INTERNAL, since = "0.1")
public final class SeededRuns {
    /** Seeds a test with a seeded parameter and no declaration of its own runs. */
    public static final int DEFAULT_RUNS = 100;

    private static volatile List<SeededParameters> providers;

    private SeededRuns() {
    }

    /** Whether some provider supplies a parameter of {@code type}. */
    public static boolean supplies(Class<?> type) {
        return providerFor(type).isPresent();
    }

    /** The provider of a parameter of {@code type}, if any. */
    public static Optional<SeededParameters> providerFor(Class<?> type) {
        for (SeededParameters provider : providers()) {
            if (provider.supports(type)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    /** The provider of one of {@code method}'s parameters, if it takes a seeded one. */
    public static Optional<SeededParameters> providerFor(Method method) {
        for (Class<?> type : method.getParameterTypes()) {
            Optional<SeededParameters> provider = providerFor(type);
            if (provider.isPresent()) {
                return provider;
            }
        }
        return Optional.empty();
    }

    /**
     * The seeds {@code method} runs, or empty if it takes no seeded parameter.
     *
     * @throws IllegalArgumentException if {@value TrialKeys#SIM_RUNS} or {@value TrialKeys#SIM_SEED}
     *     is not a number (or the count is below 1)
     */
    public static Optional<Seeds> seeds(Method method, ConfigurationParameters parameters) {
        Optional<SeededParameters> provider = providerFor(method);
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> seed = parameters.get(TrialKeys.SIM_SEED).filter(s -> !s.isBlank());
        if (seed.isPresent()) {
            return Optional.of(new Seeds(number(TrialKeys.SIM_SEED, seed.get()), 1));
        }
        Seeds declared = provider.get().seeds(method, DEFAULT_RUNS);
        Optional<String> runs = parameters.get(TrialKeys.SIM_RUNS).filter(s -> !s.isBlank());
        if (runs.isPresent()) {
            long count = number(TrialKeys.SIM_RUNS, runs.get());
            if (count < 1 || count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(TrialKeys.SIM_RUNS + " must be a whole number of at least 1, got '"
                        + runs.get() + "'");
            }
            return Optional.of(new Seeds(declared.first(), (int) count));
        }
        return Optional.of(declared);
    }

    private static long number(String key, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + text + "'");
        }
    }

    private static List<SeededParameters> providers() {
        List<SeededParameters> found = providers;
        if (found == null) {
            found = new ArrayList<>();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            for (SeededParameters provider : ServiceLoader.load(SeededParameters.class,
                    loader != null ? loader : SeededRuns.class.getClassLoader())) {
                found.add(provider);
            }
            providers = List.copyOf(found);
        }
        return found;
    }
}
