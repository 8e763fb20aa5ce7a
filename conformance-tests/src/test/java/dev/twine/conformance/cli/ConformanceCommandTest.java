package dev.twine.conformance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Catalogue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated
class ConformanceCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ConformanceCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listPrintsTheCatalogue() {
        assertThat(run("--list")).isZero();
        assertThat(out().lines()).hasSize(Catalogue.rules().size());
        assertThat(out()).contains("TCP-31    TCP          loseConnection sends every byte written before it")
                .contains("UDP-01    UDP*");
    }

    @Test
    void aPatternChoosesRulesAndThePassingRunExitsZeroWithItsReports(@TempDir Path reports) throws Exception {
        assertThat(run("--rules", "time-0?", "--report-dir", reports.toString())).isZero();
        assertThat(out()).contains("[  9/9] PASSED  TIME-0").contains("PASSED  TIME-09").contains("9 rules: 9 passed, 0 failed, 0 skipped")
                .contains("CONFORMS");
        assertThat(Files.readString(reports.resolve("conformance.json"))).contains("\"id\": \"TIME-01\"")
                .doesNotContain("\"id\": \"TIME-10\"");
    }

    @Test
    void aFailingReactorExitsOne(@TempDir Path reports) {
        int status = run("--provider", "dev.twine.conformance.broken.BrokenReactors$WriteSequenceReordered",
                "--rules", "TCP-23", "--quiet", "--report-dir", reports.toString());
        assertThat(status).isEqualTo(1);
        assertThat(out()).contains("TCP-23    FAILED").contains("instead: ").contains("DOES NOT CONFORM (a required rule failed)")
                .doesNotContain("[  1/1]");
    }

    @Test
    void mistakesAreOneLineAndExitTwo() {
        assertThat(run("--provider", "no-such-reactor")).isEqualTo(2);
        assertThat(err.toString()).startsWith("conformance: error: No ReactorProvider is called 'no-such-reactor'")
                .doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("--rules", "NOPE-*")).isEqualTo(2);
        assertThat(err.toString()).isEqualToIgnoringNewLines("conformance: error: no rule ran (none matches 'NOPE-*')");
        err.getBuffer().setLength(0);
        assertThat(run("--rule-limit", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--rule-limit must be a positive number of seconds");
        err.getBuffer().setLength(0);
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
    }
}
