package dev.twine.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.ConformanceRunner;
import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.RuleResult;
import dev.twine.conformance.report.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The suite proves its strength: each deliberately broken reactor fails the rule that names its
 * fault (and usually others, listed in the output). The rules run on the built-in reactor; only the
 * reactor under test is broken.
 */
class StrengthTest {
    /** Broken rules mostly end by waiting out this limit; it is short to keep the build quick. */
    static final Duration RULE_LIMIT = Duration.ofSeconds(2);

    static Stream<Arguments> brokenReactors() {
        return Stream.of(
                Arguments.of(BrokenReactors.TimersOutOfOrder.class, "TIME-02"),
                Arguments.of(BrokenReactors.EqualTimesReordered.class, "TIME-03"),
                Arguments.of(BrokenReactors.CancelledCallsStillRun.class, "TIME-04"),
                Arguments.of(BrokenReactors.CallbacksOffTheReactorThread.class, "TIME-01"),
                Arguments.of(BrokenReactors.CallFromThreadDoesNotWake.class, "THR-02"),
                Arguments.of(BrokenReactors.PoolNeverStopped.class, "THR-12"),
                Arguments.of(BrokenReactors.DropsBytesAtLoseConnection.class, "TCP-31"),
                Arguments.of(BrokenReactors.ResetReportedAsClean.class, "TCP-34"),
                Arguments.of(BrokenReactors.StopListeningNeverFires.class, "TCP-04"),
                Arguments.of(BrokenReactors.HalfCloseIgnored.class, "TCP-40"),
                Arguments.of(BrokenReactors.WriteSequenceReordered.class, "TCP-23"),
                Arguments.of(BrokenReactors.ProducerNeverPaused.class, "TCP-43"),
                Arguments.of(BrokenReactors.LeaksASocketPerConnection.class, "TCP-52"));
    }

    @ParameterizedTest(name = "{0} fails {1}")
    @MethodSource("brokenReactors")
    @Execution(ExecutionMode.CONCURRENT)
    void eachBrokenReactorFailsTheRuleNamingItsFault(Class<?> provider, String rule) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConformanceReport report = ConformanceRunner.run(new ConformanceRunner.Settings(provider.getName(), "nio", null,
                RULE_LIMIT, Path.of("target", "strength", provider.getSimpleName()),
                new PrintStream(console, true, StandardCharsets.UTF_8), false));
        assertThat(report).as("a report").isNotNull();
        assertThat(report.failures()).extracting(RuleResult::id).as("rules failed by %s", provider.getSimpleName())
                .contains(rule);
        RuleResult named = report.results().stream().filter(r -> r.id().equals(rule)).findFirst().orElseThrow();
        assertThat(named.reason()).as("the reason given for %s", rule).isNotBlank();
        assertThat(report.requiredFailed()).isTrue();
        System.out.printf("%s is caught by %s%n", provider.getSimpleName(),
                report.failures().stream().map(RuleResult::id).toList());
        assertThat(report.results()).as("every rule reported").allMatch(r -> r.status() != null);
        assertThat(report.counts().get(Status.PASSED)).as("rules the broken reactor still passes").isPositive();
    }
}
