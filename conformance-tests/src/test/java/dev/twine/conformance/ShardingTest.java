package dev.twine.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.twine.conformance.cli.ReportCommand;
import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.ReportMerge;
import dev.twine.conformance.report.RuleResult;
import dev.twine.conformance.report.Status;
import dev.twine.trial.TrialKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@code --shard i/n} and {@code ./twine report merge}: the shards of the catalogue together check
 * every rule once, and merging their reports gives the report, and the verdict, of the whole suite.
 */
class ShardingTest {

    /** The rule ids a shard of the catalogue would run (discovery only, as ./twine conformance --shard selects). */
    private static List<String> rulesOf(String shard) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Catalogue.RULE_CLASSES.stream().map(c -> (DiscoverySelector) selectClass(c)).toList())
                .filters(EngineFilter.includeEngines(TrialKeys.ENGINE_ID));
        if (shard != null) {
            request.configurationParameter(TrialKeys.SHARD, shard);
        }
        TestPlan plan = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .discover(request.build());
        List<String> ids = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier node : plan.getDescendants(root)) {
                if (node.isTest() && node.getSource().orElse(null) instanceof MethodSource m) {
                    ids.add(Catalogue.find(m.getClassName(), m.getMethodName()).orElseThrow().id());
                }
            }
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 6})
    void theShardsOfTheCatalogueTogetherCheckEveryRuleOnce(int n) {
        List<String> catalogue = Catalogue.rules().stream().map(Catalogue.Entry::id).toList();
        assertThat(rulesOf(null)).containsExactlyInAnyOrderElementsOf(catalogue);
        List<String> union = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            List<String> shard = rulesOf(i + "/" + n);
            assertThat(shard).as("shard %d/%d", i, n).isNotEmpty();
            union.addAll(shard);
        }
        assertThat(union).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(catalogue);
    }

    /** A report of the whole suite: every rule, one failed, the optional UDP ones skipped. */
    private static ConformanceReport whole() {
        List<RuleResult> results = new ArrayList<>();
        for (Catalogue.Entry e : Catalogue.rules()) {
            Status status = e.id().equals("TCP-12") ? Status.FAILED : e.capability().name().equals("UDP") ? Status.SKIPPED
                    : Status.PASSED;
            String reason = status == Status.FAILED ? "the bytes arrived out of order: \"ba\"" : status == Status.SKIPPED
                    ? "capability not declared: UDP" : "";
            results.add(new RuleResult(e.id(), e.capability(), e.says(), status, 0.125, reason,
                    e.testClass().getSimpleName() + "." + e.method().getName()));
        }
        return new ConformanceReport("nio (dev.twine.reactor.nio.NioReactorProvider): CORE TIME THREADS TCP",
                Instant.parse("2026-12-02T01:00:00Z"), 12.5, results, List.of("a note"));
    }

    /** Splits the whole report into n shard reports (by rules class, as --shard does) and writes them. */
    private static List<Path> shardFiles(ConformanceReport whole, int n, Path dir) throws IOException {
        Map<Integer, List<RuleResult>> parts = new LinkedHashMap<>();
        for (RuleResult r : whole.results()) {
            String testClass = r.test().substring(0, r.test().indexOf('.'));
            parts.computeIfAbsent(Math.floorMod(testClass.hashCode(), n) + 1, k -> new ArrayList<>()).add(r);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ConformanceReport shard = new ConformanceReport(whole.reactor(), whole.started().plusSeconds(i), 3 + i,
                    parts.getOrDefault(i, List.of()), whole.notes(), i + "/" + n);
            files.add(Files.writeString(dir.resolve("shard-" + i + ".json"), shard.json()));
        }
        return files;
    }

    @Test
    void mergingTheShardsReportsGivesTheWholeSuitesReportAndVerdict(@TempDir Path dir) throws Exception {
        ConformanceReport whole = whole();
        ConformanceReport merged = ReportMerge.merge(shardFiles(whole, 3, dir));
        assertThat(merged.results()).isEqualTo(whole.results());
        assertThat(merged.verdict()).isEqualTo(whole.verdict()).startsWith("DOES NOT CONFORM");
        assertThat(merged.counts()).isEqualTo(whole.counts());
        assertThat(merged.notes()).containsExactly("a note");
        assertThat(merged.shard()).isNull();
        assertThat(merged.started()).isEqualTo(whole.started().plusSeconds(1));
        assertThat(merged.json().replaceAll("\"(started|seconds)\": [^,]+,", ""))
                .isEqualTo(whole.json().replaceAll("\"(started|seconds)\": [^,]+,", ""));
    }

    @Test
    void aMissingShardARuleReportedTwiceOrAnotherReactorIsAnErrorSayingSo(@TempDir Path dir) throws Exception {
        List<Path> files = shardFiles(whole(), 3, dir);
        assertThatThrownBy(() -> ReportMerge.merge(files.subList(0, 2))).isInstanceOf(ReportMerge.MergeException.class)
                .hasMessageContaining("shard 3/3 is missing")
                .hasMessageContaining("rules of the suite are in no report, so the merge cannot give the whole suite's verdict");
        Path again = Files.writeString(dir.resolve("again.json"), Files.readString(files.get(0)).replace("\"1/3\"", "\"3/3\""));
        assertThatThrownBy(() -> ReportMerge.merge(List.of(files.get(0), files.get(1), files.get(2), again)))
                .hasMessageContaining("shard 3/3 is given twice: " + files.get(2) + " and " + again)
                .hasMessageMatching("(?s).*\\d+ rules? (is|are) reported twice, in " + java.util.regex.Pattern.quote(files.get(0).toString())
                        + " and in " + java.util.regex.Pattern.quote(again.toString()) + ": [A-Z0-9]+-\\d+.*");
        Path other = Files.writeString(dir.resolve("other.json"), Files.readString(files.get(2)).replace("nio (", "netty ("));
        assertThatThrownBy(() -> ReportMerge.merge(List.of(files.get(0), files.get(1), other)))
                .hasMessageContaining("the reports checked different reactors");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"reactor\": ");
        assertThatThrownBy(() -> ReportMerge.merge(List.of(broken)))
                .hasMessageContaining(broken + " cannot be read as a conformance report");
    }

    @Test
    void reportMergeExitsAsTheUnshardedRunWould(@TempDir Path dir) throws Exception {
        List<Path> files = shardFiles(whole(), 2, dir);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("merge", "--out", dir.resolve("merged").toString()));
        files.forEach(f -> args.add(f.toString()));
        int status = ReportCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertThat(status).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("TCP-12", "instead: the bytes arrived out of order", "DOES NOT CONFORM");
        assertThat(Files.readString(dir.resolve("merged/conformance.json"))).contains("\"conforms\": false", "\"shard\": null");
        assertThat(dir.resolve("merged/conformance.html")).exists();

        StringWriter err2 = new StringWriter();
        int missing = ReportCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true), "merge",
                "--out", dir.resolve("m2").toString(), files.get(0).toString());
        assertThat(missing).isEqualTo(2);
        assertThat(err2.toString()).startsWith("report merge: error: shard 2/2 is missing\n");
    }

    @Test
    void aShardReportSaysWhichShardItIs() {
        Set<String> ids = new TreeSet<>(rulesOf("1/2"));
        assertThat(ids).isNotEmpty();
        ConformanceReport shard = new ConformanceReport("r", Instant.EPOCH, 1, List.of(), List.of(), "1/2");
        assertThat(shard.json()).contains("\"shard\": \"1/2\"");
        assertThat(shard.console(List.of())).contains("Shard 1/2 of the suite");
        assertThat(ConformanceReport.parse(shard.json()).shard()).isEqualTo("1/2");
    }
}
