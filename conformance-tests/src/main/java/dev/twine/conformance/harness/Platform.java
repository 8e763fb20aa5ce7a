package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.SkipTest;
import org.apiguardian.api.API;

/**
 * Rules that cannot check their behaviour on this machine (the kernel does not do what the rule
 * needs to provoke it) skip with {@link #cannotCheck}: the report counts them apart from rules of
 * capabilities the provider does not declare, and its verdict lists them ("CONFORMS, 1 rule could
 * not be checked on this platform").
 */
@API(status = INTERNAL, since = "0.1")
public final class Platform {
    /** How the reason of such a skip starts. */
    public static final String REASON_PREFIX = "not checkable on this platform: ";

    private Platform() {
    }

    /** Skips the rule, saying why this platform cannot provoke what it checks. */
    public static SkipTest cannotCheck(String why) {
        return new SkipTest(REASON_PREFIX + why);
    }

    /** Whether a skip's reason says the platform could not check the rule. */
    public static boolean isPlatformSkip(String reason) {
        return reason != null && reason.startsWith(REASON_PREFIX);
    }
}
