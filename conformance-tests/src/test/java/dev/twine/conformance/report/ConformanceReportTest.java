package dev.twine.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.reactor.Capability;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceReportTest {
    private final ConformanceReport report = new ConformanceReport("toy (com.example.Toy): CORE TIME THREADS TCP",
            Instant.parse("2026-11-24T10:00:00Z"), 1.5, List.of(
                    new RuleResult("TCP-02", Capability.TCP, "says <two> & \"more\"", Status.FAILED, 0.25,
                            "expected: 5\n but was: 4", "TcpRules.two"),
                    new RuleResult("CORE-01", Capability.CORE, "one", Status.PASSED, 0.001, "", "CoreRules.one"),
                    new RuleResult("UDP-01", Capability.UDP, "udp", Status.SKIPPED, 0, "capability not declared: UDP",
                            "UdpRules.one")));

    @Test
    void rulesAreInCatalogueOrderAndCountedByCapability() {
        assertThat(report.results()).extracting(RuleResult::id).containsExactly("CORE-01", "TCP-02", "UDP-01");
        assertThat(report.counts()).containsEntry(Status.PASSED, 1).containsEntry(Status.FAILED, 1)
                .containsEntry(Status.SKIPPED, 1);
        assertThat(report.byCapability()).containsOnlyKeys(Capability.CORE, Capability.TCP, Capability.UDP);
        assertThat(report.requiredFailed()).isTrue();
    }

    @Test
    void theConsoleTableGivesEachRuleAndForFailuresTheSentenceAndWhatHappenedInstead() {
        String console = report.console(List.of());
        assertThat(console).contains("CORE-01   PASSED     0.001 s  one")
                .contains("TCP-02    says <two> & \"more\"")
                .contains("instead: expected: 5 but was: 4")
                .contains("UDP*             1       0       0        1  (capability not declared: UDP)")
                .contains("3 rules: 1 passed, 1 failed, 1 skipped, in 1.5 s")
                .endsWith("DOES NOT CONFORM (a required rule failed)\n");
    }

    @Test
    void rulesThePlatformCouldNotCheckAreCountedApartAndListedInTheVerdict() {
        ConformanceReport passing = new ConformanceReport("toy", Instant.parse("2026-11-24T10:00:00Z"), 1.0, List.of(
                new RuleResult("CORE-01", Capability.CORE, "one", Status.PASSED, 0.001, "", "CoreRules.one"),
                new RuleResult("TCP-13", Capability.TCP, "times out", Status.SKIPPED, 0,
                        dev.twine.conformance.harness.Platform.REASON_PREFIX + "the kernel does not drop SYNs",
                        "TcpClientRules.timeout"),
                new RuleResult("UDP-01", Capability.UDP, "udp", Status.SKIPPED, 0, "capability not declared: UDP",
                        "UdpRules.one")), List.of("implements ReactorUnix but does not declare UNIX: its UNIX was not checked"));
        assertThat(passing.uncheckable()).extracting(RuleResult::id).containsExactly("TCP-13");
        assertThat(passing.verdict()).isEqualTo("CONFORMS, 1 rule could not be checked on this platform");
        assertThat(passing.console(List.of())).contains("NOTE: implements ReactorUnix but does not declare UNIX")
                .contains("CONFORMS, 1 rule could not be checked on this platform\n  TCP-13    the kernel does not drop SYNs");
        assertThat(passing.json()).contains("\"uncheckable\": [\"TCP-13\"]").contains("\"notes\": [\"implements ReactorUnix");
        assertThat(passing.html()).contains("CONFORMS, 1 rule could not be checked").contains("Note: implements ReactorUnix");
        assertThat(new ConformanceReport("toy", Instant.EPOCH, 0, List.of(new RuleResult("CORE-01", Capability.CORE, "one",
                Status.PASSED, 0, "", "CoreRules.one"))).verdict()).isEqualTo("CONFORMS");
    }

    @Test
    void jsonIsEscaped() {
        assertThat(report.json()).contains("\"rule\": \"says <two> & \\\"more\\\"\"")
                .contains("\"reason\": \"expected: 5\\n but was: 4\"")
                .contains("\"conforms\": false")
                .contains("\"UDP\": {\"required\": false, \"rules\": 1, \"passed\": 0, \"failed\": 0, \"skipped\": 1}");
    }

    @Test
    void htmlStandsAloneAndIsEscaped() {
        String html = report.html();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>")
                .doesNotContainPattern("(?i)(src|href|action)\\s*=\\s*\"?(https?:)?//").doesNotContain("<link", "@import", "url(",
                        "fetch(", "XMLHttpRequest", "<script src")
                .contains("says &lt;two&gt; &amp; &quot;more&quot;")
                .contains("<tr class=\"rule FAILED\" id=\"TCP-02\" data-status=\"failed\" data-capability=\"TCP\"")
                .contains("<td><code>TCP-02</code></td>")
                .contains("Does not conform: a required rule failed");
    }

    @Test
    void htmlHasFiltersASearchABarPerCapabilityAndFailuresThatOpenInPlace() {
        String html = report.html();
        // The filters: status, capability (those of the report), search, and what they show.
        assertThat(html).contains("<select id=\"status\"><option value=\"\">all</option><option value=\"passed\">passed</option>"
                + "<option value=\"failed\">failed</option><option value=\"skipped\">skipped</option></select>");
        assertThat(html).contains("<select id=\"capability\"><option value=\"\">all</option><option value=\"CORE\">CORE</option>"
                + "<option value=\"TCP\">TCP</option><option value=\"UDP\">UDP</option></select>");
        assertThat(html).contains("<input id=\"q\" type=\"search\"", "Showing <span id=\"shown\">3</span> of 3 rules");
        // Each rule carries what the filters and the search match.
        assertThat(html).contains("<tr class=\"rule PASSED\" id=\"CORE-01\" data-status=\"passed\" data-capability=\"CORE\" "
                + "data-search=\"core-01 one corerules.one\">");
        // A bar per capability, its segments sized by count, each a link that filters.
        assertThat(html).contains("<a href=\"#capability=TCP\">TCP</a>",
                "aria-label=\"TCP: 0 passed, 1 failed, 0 skipped\"><span class=\"seg FAILED\" style=\"width:100.00%\"></span></div>",
                "aria-label=\"UDP: 0 passed, 0 failed, 1 skipped\"><span class=\"seg SKIPPED\" style=\"width:100.00%\">");
        assertThat(html).contains("<a href=\"#status=failed\" class=\"FAILED\" id=\"count-failed\">1 failed</a>");
        // A failure's whole reason opens in place; a skip's reason is shown as it is.
        assertThat(html).contains("<details class=\"failure\"><summary>expected: 5 but was: 4</summary>"
                + "<pre>expected: 5\n but was: 4</pre></details>");
        assertThat(html).contains("<td class=\"reason\">capability not declared: UDP</td>");
        // The script is in the page and reads the filters from the address's fragment.
        assertThat(html).containsPattern("<script>\\n\\(function \\(\\) \\{[\\s\\S]*location\\.hash[\\s\\S]*</script>\\n</body>");
        assertThat(html.indexOf("<table class=\"rules\"")).isGreaterThan(html.indexOf("<table class=\"capabilities\""));
    }
}
