package dev.twine.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import dev.twine.trial.examples.Basics;
import dev.twine.trial.examples.Tagged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link TrialKeys#SHARD}: the shards of a run together run every class of the whole run, each once. */
class ShardingTest {
    private static final String EXAMPLES = "dev.twine.trial.examples";

    private static EngineDiscoveryResults discover(String shard, Path timings) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request().selectors(selectPackage(EXAMPLES));
        if (shard != null) {
            request.configurationParameter(TrialKeys.SHARD, shard);
        }
        if (timings != null) {
            request.configurationParameter(TrialKeys.SHARD_TIMINGS, timings.toString());
        }
        return EngineTestKit.discover(TrialKeys.ENGINE_ID, request.build());
    }

    private static List<DiscoveryIssue> errors(EngineDiscoveryResults results) {
        return results.getDiscoveryIssues().stream().filter(i -> i.severity() == DiscoveryIssue.Severity.ERROR).toList();
    }

    private static List<String> classes(EngineDiscoveryResults results) {
        assertThat(results.getDiscoveryIssues()).noneMatch(i -> i.severity() == DiscoveryIssue.Severity.ERROR);
        List<String> names = new ArrayList<>();
        for (TestDescriptor child : results.getEngineDescriptor().getChildren()) {
            names.add(((ClassSource) child.getSource().orElseThrow()).getClassName());
        }
        return names;
    }

    /** Runs every shard of {@code n}; asserts their union is the whole run and no class is in two. */
    private static List<List<String>> assertShardsPartitionTheRun(int n, Path timings) {
        List<String> whole = classes(discover(null, null));
        assertThat(whole).hasSizeGreaterThan(20);
        List<List<String>> shards = new ArrayList<>();
        List<String> union = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            List<String> shard = classes(discover(i + "/" + n, timings));
            shards.add(shard);
            union.addAll(shard);
        }
        assertThat(union).as("every class of the run, each in exactly one of %d shards", n).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(whole);
        return shards;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 100})
    void theShardsDealtByNameTogetherRunEveryClassOnce(int n) {
        List<List<String>> shards = assertShardsPartitionTheRun(n, null);
        if (n <= 4) {
            assertThat(shards).as("no empty shard among %d", n).allSatisfy(s -> assertThat(s).isNotEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void theShardsBalancedByTimesTogetherRunEveryClassOnce(int n, @TempDir Path dir) throws IOException {
        Path timings = dir.resolve("timings.txt");
        // Every class 1 s but one that takes longer than all the others together; one class has no
        // recorded time (it counts as the mean).
        StringBuilder file = new StringBuilder("# recorded\n\n");
        for (String name : classes(discover(null, null))) {
            if (!name.endsWith(".Basics")) {
                file.append(name.endsWith(".TimesOut") ? "100.0 " : "1.000 ").append(name).append('\n');
            }
        }
        Files.writeString(timings, file);
        List<List<String>> shards = assertShardsPartitionTheRun(n, timings);
        assertThat(shards).filteredOn(s -> s.contains(EXAMPLES + ".TimesOut"))
                .singleElement().as("the 30 s class has its shard to itself").isEqualTo(List.of(EXAMPLES + ".TimesOut"));
    }

    @Test
    void aShardIsTheSameOnEveryRun() {
        assertThat(classes(discover("2/3", null))).isEqualTo(classes(discover("2/3", null)));
    }

    @Test
    void aRunRecordsEachClassTimeInTheFormatThatBalancesTheShards(@TempDir Path dir) throws IOException {
        Path record = dir.resolve("out/timings.txt");
        EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(Basics.class), selectClass(Tagged.class))
                .configurationParameter(TrialKeys.SHARD_RECORD, record.toString()).execute();
        List<String> lines = Files.readAllLines(record);
        assertThat(lines.get(0)).startsWith("#");
        assertThat(lines.subList(1, lines.size())).hasSize(2)
                .anySatisfy(l -> assertThat(l).matches("\\d+\\.\\d{3} " + Basics.class.getName().replace(".", "\\.")))
                .anySatisfy(l -> assertThat(l).matches("\\d+\\.\\d{3} " + Tagged.class.getName().replace(".", "\\.")));
        // The recorded file is what the shards read.
        assertThat(errors(discover("1/2", record))).isEmpty();
    }

    @Test
    void aBadShardOrTimingsFileFailsDiscoveryWithTheReason(@TempDir Path dir) throws IOException {
        assertThat(errors(discover("3/2", null))).singleElement().satisfies(issue -> {
            assertThat(issue.severity()).isEqualTo(DiscoveryIssue.Severity.ERROR);
            assertThat(issue.message()).contains(TrialKeys.SHARD, "3/2", "1 <= i <= n");
        });
        assertThat(errors(discover("1/2", dir.resolve("absent.txt")))).singleElement()
                .satisfies(issue -> assertThat(issue.message()).contains(TrialKeys.SHARD_TIMINGS, "absent.txt",
                        "every shard must be given the same file"));
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "1.0 a.B\nfast c.D\n");
        assertThat(errors(discover("1/2", bad))).singleElement()
                .satisfies(issue -> assertThat(issue.message()).contains("line 2", "fast c.D"));
    }
}
