package dev.twine.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.ConformanceRunner;
import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Writes the HTML report of a real run with a failure (a reactor whose timers fire out of order, a
 * few CORE and TIME rules) to {@code target/report-sample/}: the page {@code ci/report-check} loads in
 * headless Chromium. Here, its structure.
 */
@Isolated
class ReportPageTest {
    /** Where the page is written; ci/report-check reads it there. */
    static final Path SAMPLE = Path.of("target", "report-sample");

    @Test
    void aRunWithAFailureWritesAPageThatNamesTheFailingRuleAndItsReason() throws IOException {
        ConformanceReport report = ConformanceRunner.run(new ConformanceRunner.Settings(
                BrokenReactors.TimersOutOfOrder.class.getName(), "nio", Pattern.compile("CORE-0[1-3]|TIME-0[1-4]"), null,
                SAMPLE, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false));
        assertThat(report.results()).hasSize(7);
        assertThat(report.failures()).extracting(r -> r.id()).contains("TIME-02");
        String html = Files.readString(SAMPLE.resolve(ConformanceReport.HTML_FILE));
        int row = html.indexOf("<tr class=\"rule FAILED\" id=\"TIME-02\" data-status=\"failed\" data-capability=\"TIME\"");
        assertThat(row).isPositive();
        assertThat(html.substring(row, html.indexOf("</tr>", row))).contains("<details class=\"failure\"><summary>",
                "ms from now", "scheduled or moved");
        assertThat(html).contains("id=\"count-failed\">" + report.counts().get(Status.FAILED) + " failed</a>");
    }
}
