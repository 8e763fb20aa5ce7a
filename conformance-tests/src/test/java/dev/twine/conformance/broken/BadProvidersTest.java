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
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input: a provider whose createReactor() throws or returns null, or whose reactor's run()
 * never returns. Each rule fails with that reason within the rule's limit, and the suite goes on
 * to the next rule.
 */
class BadProvidersTest {

    /** createReactor() throws. */
    public static final class Throws extends BrokenProvider {
        public Throws() {
            super("bad-throws", () -> {
                throw new IllegalStateException("no reactor today");
            });
        }
    }

    /** createReactor() returns null. */
    public static final class ReturnsNull extends BrokenProvider {
        public ReturnsNull() {
            super("bad-returns-null", () -> null);
        }
    }

    /** run() never returns, whatever it is told (until its thread is interrupted). */
    public static final class Hangs extends BrokenProvider {
        public Hangs() {
            super("bad-hangs", () -> new ForwardingReactor() {
                @Override
                public void run() {
                    while (!Thread.interrupted()) {
                        LockSupport.park(this);
                    }
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Throws      | the provider could not create a reactor: java.lang.IllegalStateException: no reactor today",
        "ReturnsNull | the provider's createReactor\\(\\) returned null",
        "Hangs       | run\\(\\) did not return"})
    @Execution(ExecutionMode.CONCURRENT)
    void eachRuleFailsWithTheReasonAndTheSuiteGoesOn(String provider, String reason) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConformanceReport report = ConformanceRunner.run(new ConformanceRunner.Settings(
                BadProvidersTest.class.getName() + "$" + provider, "nio", Pattern.compile("CORE-01|TIME-01"),
                Duration.ofSeconds(1), Path.of("target", "bad-providers", provider),
                new PrintStream(console, true, StandardCharsets.UTF_8), false));
        assertThat(report).as("a report").isNotNull();
        assertThat(report.results()).extracting(RuleResult::id).as("the rules run, one after the other")
                .containsExactly("CORE-01", "TIME-01");
        Pattern expected = Pattern.compile(reason);
        for (RuleResult result : report.results()) {
            assertThat(result.status()).as("%s against a provider that %s", result.id(), provider).isEqualTo(Status.FAILED);
            assertThat(expected.matcher(result.reason()).find()).as("%s's reason: %s", result.id(), result.reason()).isTrue();
        }
    }
}
