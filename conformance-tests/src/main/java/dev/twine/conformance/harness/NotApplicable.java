package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.conformance.ConformanceKeys;
import dev.twine.conformance.Rule;
import dev.twine.reactor.Capability;
import dev.twine.trial.TrialContext;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Capabilities that do not apply to the reactor under test ({@value ConformanceKeys#NOT_APPLICABLE}),
 * such as the sockets of a reactor whose network is simulated: their rules skip as "not
 * applicable: reason", which the report shows as the reason of each skip.
 */
@API(status = INTERNAL, since = "0.1")
public final class NotApplicable {
    /** How the reason of such a skip starts. */
    public static final String REASON_PREFIX = "not applicable: ";

    private NotApplicable() {
    }

    /** Why {@code rule} does not apply to the reactor under test, or null if it does. */
    static String reason(TrialContext test, Rule rule) {
        Optional<String> setting = test.configurationParameter(ConformanceKeys.NOT_APPLICABLE).filter(s -> !s.isBlank());
        if (setting.isEmpty()) {
            return null;
        }
        String text = setting.get();
        int colon = text.indexOf(':');
        String reason = colon < 0 ? "declared not applicable" : text.substring(colon + 1).strip();
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        for (String name : (colon < 0 ? text : text.substring(0, colon)).split("[,\\s]+")) {
            if (!name.isBlank()) {
                try {
                    capabilities.add(Capability.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(ConformanceKeys.NOT_APPLICABLE + " names no capability '" + name
                            + "'; expected CAP[,CAP...]: reason", e);
                }
            }
        }
        if (capabilities.contains(rule.capability())) {
            return reason;
        }
        for (Capability used : rule.uses()) {
            if (capabilities.contains(used)) {
                return reason;
            }
        }
        return null;
    }
}
