package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.conformance.ConformanceKeys;
import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.TrialContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/** The run's settings, as the rules see them. */
@API(status = INTERNAL, since = "0.1")
public final class Conformance {
    /** How long a rule may run its reactor unless {@value ConformanceKeys#RULE_LIMIT} says otherwise. */
    public static final Duration DEFAULT_RULE_LIMIT = Duration.ofSeconds(10);

    private static final Map<String, ReactorProvider> PROVIDERS = new ConcurrentHashMap<>();

    private Conformance() {
    }

    /** The provider of the reactor under test: {@value ConformanceKeys#PROVIDER}, else the trial engine's. */
    public static ReactorProvider provider(TrialContext test) {
        Optional<String> name = test.configurationParameter(ConformanceKeys.PROVIDER).filter(n -> !n.isBlank());
        if (name.isEmpty()) {
            return test.reactorProvider();
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return PROVIDERS.computeIfAbsent(name.get().trim(),
                n -> ReactorProvider.select(n, loader != null ? loader : Conformance.class.getClassLoader()));
    }

    /** How long one rule may run its reactor. */
    public static Duration ruleLimit(TrialContext test) {
        Optional<String> text = test.configurationParameter(ConformanceKeys.RULE_LIMIT).filter(t -> !t.isBlank());
        if (text.isEmpty()) {
            return DEFAULT_RULE_LIMIT;
        }
        try {
            BigDecimal seconds = new BigDecimal(text.get().trim());
            if (seconds.signum() > 0) {
                return Duration.ofNanos(seconds.movePointRight(9).longValue());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(ConformanceKeys.RULE_LIMIT + " must be a positive number of seconds, got '"
                + text.get() + "'");
    }
}
