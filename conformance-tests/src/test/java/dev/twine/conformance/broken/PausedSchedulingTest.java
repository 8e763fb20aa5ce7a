package dev.twine.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.ConformanceRunner;
import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.RuleResult;
import dev.twine.conformance.report.Status;
import dev.twine.reactor.DelayedCall;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Sound reactors on a loaded machine, where a thread can be paused anywhere for longer than a rule's
 * delays; each emulated without waiting, and the rules that met it in ci/under-load must pass.
 *
 * <p>{@link PausedScheduling}: the thread that schedules delayed calls is paused between
 * one call and the next: a reactor that makes each call due as if it
 * had been scheduled {@link #PAUSE} after the one before (only calls under an hour: TIME-03 warms
 * up with twenty thousand one-hour calls). TIME-03 forces calls onto one due time. It used to move
 * them onto the first call's, and a pause made a later call due after that one, so the rule failed a
 * sound reactor (ci/under-load found it, JDK 17, run 8 of 10); it now moves them onto the due time
 * of the call due last. Only TIME-03: the other time rules check each due time against the clock read
 * around its scheduling, which this emulation does not move. {@link PausedIterating}: the thread that
 * calls iterate() is paused (CORE-14, CORE-40).
 */
class PausedSchedulingTest {
    static final Duration PAUSE = Duration.ofMillis(20);

    /** Not broken: no {@link CaughtBy}, so the strength test leaves it out; selected here by class name. */
    public static final class PausedScheduling extends BrokenProvider {
        public PausedScheduling() {
            super("paused-scheduling", () -> new ForwardingReactor() {
                private long scheduled;

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    if (delay.compareTo(Duration.ofHours(1)) >= 0) {
                        return delegate.callLater(delay, callable);
                    }
                    return delegate.callLater(delay.plus(PAUSE.multipliedBy(scheduled++)), callable);
                }
            });
        }
    }

    /**
     * The thread that iterates is paused, after it scheduled a call and read the clock, for longer than
     * the call's delay, before iterate() looks at its calls. Emulated without waiting: calls under an
     * hour are due at once, and {@code seconds()} reads an hour behind, as a clock read before the pause
     * would. CORE-14 and CORE-40 then meet a call that iterate() runs before it waits. They used to
     * leave nothing else pending, so a sound reactor waited the whole maxWait (CORE-14 failed so in
     * ci/under-load, JDK 17 beside a JDK 25 series, run 5 of 10); the call now schedules a follow-up
     * due at once.
     */
    public static final class PausedIterating extends BrokenProvider {
        public PausedIterating() {
            super("paused-iterating", () -> new ForwardingReactor() {
                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return delegate.callLater(delay.compareTo(Duration.ofHours(1)) >= 0 ? delay : Duration.ZERO, callable);
                }

                @Override
                public double seconds() {
                    return delegate.seconds() - Duration.ofHours(1).toSeconds();
                }
            });
        }
    }

    @Test
    void iterateRulesHoldWhenTheIteratingThreadIsPaused() {
        assertPasses(PausedIterating.class, "paused-iterating", "CORE-14", "CORE-40");
    }

    @Test
    void equalTimesRuleHoldsWhenSchedulingIsPaused() {
        assertPasses(PausedScheduling.class, "paused", "TIME-03");
    }

    /** Runs {@code rules} (and only them) on {@code provider}, which is sound: each must pass. */
    private static void assertPasses(Class<? extends BrokenProvider> provider, String reportDir, String... rules) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConformanceReport report = ConformanceRunner.run(new ConformanceRunner.Settings(provider.getName(), "nio",
                Pattern.compile(String.join("|", rules)), StrengthTest.RULE_LIMIT, Path.of("target", "strength", reportDir),
                new PrintStream(console, true, StandardCharsets.UTF_8), false));
        assertThat(report).as("a report").isNotNull();
        assertThat(report.results()).extracting(RuleResult::id).containsExactlyInAnyOrder(rules);
        for (RuleResult result : report.results()) {
            assertThat(result.status()).as("%s on %s, a sound reactor whose thread is paused (reason: %s)", result.id(),
                    provider.getSimpleName(), result.reason()).isEqualTo(Status.PASSED);
        }
    }
}
