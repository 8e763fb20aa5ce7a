package dev.twine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.ConformanceReportListener;
import dev.twine.conformance.report.RuleResult;
import dev.twine.conformance.report.Status;
import dev.twine.trial.TrialKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated
class CapabilitiesTest {

    @Test
    void rulesOfUndeclaredOptionalCapabilitiesAreSkippedWithTheReason(@TempDir Path reports) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConformanceReport report = ConformanceRunner.run(new ConformanceRunner.Settings(RequiredOnlyProvider.class.getName(),
                "nio", Pattern.compile("CORE-01|TCP-01|UDP-0[12]|UNIX-01|TLS-01|IPV6-01|DESC-01"), null, reports,
                new PrintStream(console, true, StandardCharsets.UTF_8), true));
        assertThat(report.results()).extracting(RuleResult::id)
                .containsExactly("CORE-01", "TCP-01", "IPV6-01", "UDP-01", "UDP-02", "UNIX-01", "TLS-01", "DESC-01");
        assertThat(report.results()).filteredOn(r -> r.capability().isRequired())
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.PASSED));
        assertThat(report.results()).filteredOn(r -> !r.capability().isRequired()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.SKIPPED);
            assertThat(r.reason()).isEqualTo("capability not declared: " + r.capability());
        });
        assertThat(report.failures()).isEmpty();
        assertThat(report.reactor()).startsWith("required-only (dev.twine.conformance.RequiredOnlyProvider): CORE TIME THREADS TCP");
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("UDP*             2       0       0        2  (capability not declared: UDP)")
                .contains("8 rules: 2 passed, 0 failed, 6 skipped");
        // Capability honesty: its reactor is the nio reactor, which implements every optional interface.
        assertThat(report.notes()).containsExactly(
                "implements ReactorUDP but does not declare UDP: its UDP was not checked",
                "implements ReactorUnix but does not declare UNIX: its UNIX was not checked",
                "implements ReactorTLS but does not declare TLS: its TLS was not checked",
                "implements ReactorDescriptors but does not declare DESCRIPTORS: its DESCRIPTORS was not checked");
        assertThat(printed).contains("NOTE: implements ReactorUDP but does not declare UDP: its UDP was not checked");
    }

    @Test
    void aRunWithoutTheCommandStillNotesAnInterfaceItsReactorDoesNotDeclare(@TempDir Path reports) {
        // As Surefire or an IDE runs the rules: a plain launcher, the report listener, no ConformanceRunner.
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConformanceReportListener listener = new ConformanceReportListener(
                new PrintStream(console, true, StandardCharsets.UTF_8), reports, false);
        Catalogue.Entry udp = Catalogue.rules().stream().filter(e -> e.id().equals("UDP-01")).findFirst().orElseThrow();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectMethod(udp.testClass(), udp.method()))
                .filters(EngineFilter.includeEngines(TrialKeys.ENGINE_ID))
                .configurationParameter(ConformanceKeys.PROVIDER, RequiredOnlyProvider.class.getName())
                .configurationParameter(TrialKeys.REACTOR_PROVIDER, RequiredOnlyProvider.class.getName())
                .build();
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(request, listener);
        ConformanceReport report = listener.lastReport();
        assertThat(report.results()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(Status.SKIPPED));
        assertThat(report.notes()).containsExactly("implements ReactorUDP but does not declare UDP: its UDP was not checked");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("NOTE: implements ReactorUDP but does not declare UDP: its UDP was not checked");
    }
}
