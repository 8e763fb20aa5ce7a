package dev.twine.trial.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.twine.trial.TrialKeys;
import dev.twine.trial.examples.reporter.FailsOnTheThirdPass;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherConstants;

class TrialCommandTest {
    private static final String SAMPLES = "dev.twine.trial.examples.reporter.";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final StringWriter errText = new StringWriter();
    private final PrintWriter err = new PrintWriter(errText, true);

    private int run(String... args) {
        return TrialCommand.run(out, err, args);
    }

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return out().lines().toList();
    }

    @Test
    void optionsBecomeTheEnginesConfigurationParameters() {
        TrialCommand command = new TrialCommand(out, err);
        TrialCommand.commandLine(command, out, err).parseArgs("-z", "7", "-j", "3", "--timeout", "2.5", "--reactor", "nio",
                "--shard", " 2/4", "--config", "twine.trial.forceGc=true", "-x", "-u", "--classpath", "a:b", "some.Test", "other.Test#m");

        assertThat(command.configurationParameters()).containsOnly(
                entry("twine.trial.forceGc", "true"),
                entry(TrialKeys.RANDOM, "7"),
                entry(TrialKeys.PARALLEL, "3"),
                entry(TrialKeys.TIMEOUT, "2.5"),
                entry(TrialKeys.REACTOR_PROVIDER, "nio"),
                entry(TrialKeys.SHARD, "2/4"),
                entry(LauncherConstants.DEACTIVATE_LISTENERS_PATTERN_PROPERTY_NAME, "dev.twine.trial.reporter.TreeReporter"));
        assertThat(command.exitFirst).isTrue();
        assertThat(command.untilFailure).isTrue();
        assertThat(command.classpath).isEqualTo("a:b");
        assertThat(command.selectors).containsExactly("some.Test", "other.Test#m");
    }

    @Test
    void withNothingToRunItPrintsItsHelp() {
        assertThat(run()).isZero();
        assertThat(out()).startsWith("Usage: trial ").contains("--until-failure", "--exitfirst", "./twine trial --tutorial");
    }

    @Test
    void mistakesOnTheCommandLineExitWith2() {
        assertThat(run("-j", "0", SAMPLES + "AllPass")).isEqualTo(2);
        assertThat(run("--timeout", "-1", SAMPLES + "AllPass")).isEqualTo(2);
        assertThat(run("--random", "soon", SAMPLES + "AllPass")).isEqualTo(2);
        assertThat(run("--colour", SAMPLES + "AllPass")).isEqualTo(2);
        assertThat(run("no.such.Thing")).isEqualTo(2);
        assertThat(run(SAMPLES + "AllPass#third")).isEqualTo(2);
        assertThat(run("--classpath", "no/such/dir", SAMPLES + "AllPass")).isEqualTo(2);
        assertThat(errText.toString().lines()).containsExactly(
                "trial: error: -j needs at least 1 class at once, got 0",
                "trial: error: --timeout must be a positive number of seconds, got -1",
                "trial: error: Invalid value for option '--random': 'soon' is not a long",
                "trial: error: Unknown option: '--colour'",
                "trial: error: no class, test or package named 'no.such.Thing' on the class path",
                "trial: error: no @TrialTest method third in " + SAMPLES + "AllPass",
                "trial: error: --classpath: no such file or directory: no/such/dir");
        assertThat(out()).isEmpty();
    }

    @Test
    void aRunWithAFailureAnErrorASkipATodoAndAnUnexpectedSuccessFails() {
        assertThat(run(SAMPLES + "PoemTest")).isEqualTo(1);

        assertThat(lines()).startsWith("dev.twine.trial.examples.reporter", "  PoemTest")
                .contains("    readsTheTitle ...                                              [SUCCESS!?!]")
                .anyMatch(l -> l.startsWith("Ran 8 tests in "))
                .endsWith("FAILED (skips=2, expectedFailures=1, failures=1, errors=1, unexpectedSuccesses=1, successes=2)");
    }

    @Test
    void aRunThatPassesExitsWith0() {
        assertThat(run(SAMPLES + "AllPass")).isZero();
        assertThat(lines()).endsWith("PASSED (successes=2)");
    }

    @Test
    void aTestIsNamedAsJUnitOrAsTrialNamesIt() {
        assertThat(run(SAMPLES + "PoemTest#getsThePoem", SAMPLES + "PoemTest.getsThePoemLater")).isZero();
        assertThat(lines()).containsSubsequence(
                "    getsThePoem ...                                                        [OK]",
                "    getsThePoemLater ...                                                   [OK]",
                "PASSED (successes=2)");
    }

    @Test
    void untilFailureRunsAgainUntilARunFails() {
        FailsOnTheThirdPass.RUNS.set(0);
        assertThat(run("--until-failure", SAMPLES + "FailsOnTheThirdPass")).isEqualTo(1);

        assertThat(FailsOnTheThirdPass.RUNS).hasValue(3);
        assertThat(lines()).filteredOn(l -> l.startsWith("Test Pass ") || l.startsWith("PASSED") || l.startsWith("FAILED"))
                .containsExactly("Test Pass 1", "PASSED (successes=1)", "Test Pass 2", "PASSED (successes=1)",
                        "Test Pass 3", "FAILED (failures=1)");
    }

    @Test
    void exitFirstStopsAtTheFirstFailureOrError() {
        assertThat(run("--exitfirst", SAMPLES + "PoemTest", SAMPLES + "AllPass")).isEqualTo(1);
        assertThat(lines()).contains("    connects ...                                                        [ERROR]")
                .endsWith("FAILED (errors=1, successes=2)");
    }

    @Test
    void aPackageRunsEachOfItsClasses() {
        FailsOnTheThirdPass.RUNS.set(0);
        assertThat(run("-j", "2", "dev.twine.trial.examples.reporter")).isEqualTo(1);
        assertThat(lines()).contains("  AllPass", "  PoemTest", "  Skipped", "  FailsOnTheThirdPass")
                .endsWith("FAILED (skips=4, expectedFailures=1, failures=1, errors=1, unexpectedSuccesses=1, successes=5)");
    }
}
