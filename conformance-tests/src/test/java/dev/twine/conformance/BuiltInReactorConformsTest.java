package dev.twine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.RuleResult;
import dev.twine.conformance.report.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The built-in reactor keeps every rule, and the run leaves its report on disk. */
@Isolated("timing-sensitive rules must not share the machine with the broken reactors' runs")
class BuiltInReactorConformsTest {

    @Test
    void theNioReactorFailsNoRule() throws Exception {
        Path reports = Path.of("target", "twine-conformance");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConformanceReport report = ConformanceRunner.run(new ConformanceRunner.Settings("nio", null, null, null, reports,
                new PrintStream(console, true, StandardCharsets.UTF_8), true));
        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(report.failures()).as("rules the built-in reactor fails").extracting(RuleResult::id).isEmpty();
        assertThat(report.counts().get(Status.PASSED)).isEqualTo(Catalogue.rules().size());
        assertThat(report.reactor()).startsWith("nio (dev.twine.reactor.nio.NioReactorProvider)");
        int rules = Catalogue.rules().size();
        assertThat(printed).contains("[" + rules + "/" + rules + "]", "CONFORMS");
        assertThat(Files.readString(reports.resolve(ConformanceReport.JSON_FILE))).contains("\"conforms\": true");
        assertThat(Files.readString(reports.resolve(ConformanceReport.HTML_FILE))).contains("<td><code>TCP-31</code></td>");
    }
}
