package dev.twine.trial.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.twine.trial.DirtyReactorError;
import dev.twine.trial.ExpectedFailure;
import dev.twine.trial.MultipleErrors;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TrialKeys;
import dev.twine.trial.UnexpectedSuccess;
import dev.twine.trial.examples.reporter.AllPass;
import dev.twine.trial.examples.reporter.PoemTest;
import dev.twine.trial.examples.reporter.Skipped;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherExecutionRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.MultipleFailuresError;

class TreeReporterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** A clock that reads 0 when the run starts and 1.234 s when it ends. */
    private static LongSupplier clock() {
        AtomicLong reads = new AtomicLong();
        return () -> reads.getAndIncrement() == 0 ? 0 : 1_234_000_000L;
    }

    private static LauncherDiscoveryRequest request(Map<String, String> parameters, Class<?>... classes) {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toList())
                .filters(EngineFilter.includeEngines(TrialKeys.ENGINE_ID))
                .configurationParameters(parameters)
                .build();
    }

    private TreeReporter.Summary run(TreeReporter reporter, CancellationToken token, Class<?>... classes) {
        return run(reporter, token, Map.of(), classes);
    }

    private TreeReporter.Summary run(TreeReporter reporter, CancellationToken token, Map<String, String> parameters,
            Class<?>... classes) {
        LauncherFactory.create().execute(LauncherExecutionRequestBuilder.request(request(parameters, classes))
                .listeners(reporter).cancellationToken(token).build());
        return reporter.summary().orElseThrow();
    }

    /** The output, each stack trace's frames reduced to one {@code \tat ...} line (their number and lines vary). */
    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\r?\n", -1)) {
            if (line.startsWith("\tat ") || line.startsWith("\t... ")) {
                if (!lines.get(lines.size() - 1).equals("\tat ...")) {
                    lines.add("\tat ...");
                }
            } else {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void printsTrialsTreeTheDetailsOfEachProblemAndTheSummary() {
        TreeReporter.Summary summary = run(new TreeReporter(out, clock()), CancellationToken.create(),
                PoemTest.class, Skipped.class);

        String p = "dev.twine.trial.examples.reporter.";
        assertThat(lines()).containsExactly(
                "dev.twine.trial.examples.reporter",
                "  PoemTest",
                "    connects ...                                                        [ERROR]",
                "    countsTheLines ...                                                   [FAIL]",
                "    downloads ...                                                     [SKIPPED]",
                "    findsTheRhymes ...                                                   [TODO]",
                "    getsThePoem ...                                                        [OK]",
                "    getsThePoemLater ...                                                   [OK]",
                "    readsTheTitle ...                                              [SUCCESS!?!]",
                "    uploads ...                                                       [SKIPPED]",
                "  Skipped",
                "    one ...                                                           [SKIPPED]",
                "    two ...                                                           [SKIPPED]",
                "",
                "=".repeat(79),
                "[SKIPPED]",
                "no network here",
                "",
                p + "PoemTest.downloads",
                p + "PoemTest.uploads",
                "=".repeat(79),
                "[SKIPPED]",
                "the server is down",
                "",
                p + "Skipped.one",
                p + "Skipped.two",
                "=".repeat(79),
                "[TODO]",
                "Reason: 'rhymes are not parsed yet'",
                "java.lang.AssertionError: no rhyme found",
                "\tat ...",
                "",
                p + "PoemTest.findsTheRhymes",
                "=".repeat(79),
                "[FAIL]",
                "java.lang.AssertionError: expected 3 lines but was 2",
                "\tat ...",
                "",
                p + "PoemTest.countsTheLines",
                "=".repeat(79),
                "[ERROR]",
                "java.io.IOException: connection refused",
                "\tat ...",
                "",
                p + "PoemTest.connects",
                "=".repeat(79),
                "[SUCCESS!?!]",
                "Reason: 'titles were broken'",
                "",
                p + "PoemTest.readsTheTitle",
                "-".repeat(79),
                "Ran 10 tests in 1.234s",
                "",
                "FAILED (skips=4, expectedFailures=1, failures=1, errors=1, unexpectedSuccesses=1, successes=2)",
                "");
        assertThat(summary.testsRun()).isEqualTo(10);
        assertThat(summary.wasSuccessful()).isFalse();
        assertThat(summary.count(Verdict.SKIPPED)).isEqualTo(4);
        assertThat(summary.count(Verdict.OK)).isEqualTo(2);
    }

    @Test
    void aRunWithoutFailuresOrErrorsPasses() {
        TreeReporter.Summary summary = run(new TreeReporter(out, clock()), CancellationToken.create(), AllPass.class);

        assertThat(lines()).containsExactly(
                "dev.twine.trial.examples.reporter",
                "  AllPass",
                "    first ...                                                              [OK]",
                "    second ...                                                             [OK]",
                "",
                "-".repeat(79),
                "Ran 2 tests in 1.234s",
                "",
                "PASSED (successes=2)",
                "");
        assertThat(summary.wasSuccessful()).isTrue();
    }

    @Test
    void stoppingAtTheFirstProblemCancelsTheRunAndLeavesOutWhatDidNotRun() {
        CancellationToken token = CancellationToken.create();
        TreeReporter.Summary summary = run(new TreeReporter(out, clock()).stopAtFirstProblem(token), token,
                PoemTest.class, AllPass.class);

        assertThat(token.isCancellationRequested()).isTrue();
        List<String> lines = lines();
        assertThat(lines.subList(0, 3)).containsExactly(
                "dev.twine.trial.examples.reporter",
                "  AllPass",
                "    first ...                                                              [OK]");
        assertThat(lines).contains("    connects ...                                                        [ERROR]")
                .doesNotContain("    getsThePoem ...                                                        [OK]")
                .noneMatch(l -> l.contains("cancel"));
        assertThat(summary.line()).isEqualTo("FAILED (errors=1, successes=2)");
        assertThat(summary.testsRun()).isEqualTo(3);
    }

    @Test
    void classesRunInParallelArePrintedEachInOnePiece() {
        TreeReporter.Summary summary = run(new TreeReporter(out, clock()), CancellationToken.create(),
                Map.of(TrialKeys.PARALLEL, "3"), PoemTest.class, AllPass.class, Skipped.class);

        List<String> lines = lines();
        List<String> tree = lines.subList(0, lines.indexOf(""));
        assertThat(tree.get(0)).isEqualTo("dev.twine.trial.examples.reporter");
        Map<String, List<String>> classes = new java.util.HashMap<>();
        List<String> current = null;
        for (String line : tree.subList(1, tree.size())) {
            if (!line.startsWith("    ")) {
                assertThat(classes).doesNotContainKey(line);
                current = new ArrayList<>();
                classes.put(line, current);
            } else {
                current.add(line.substring(4, line.indexOf(" ...")));
            }
        }
        assertThat(classes).containsOnly(
                Map.entry("  AllPass", List.of("first", "second")),
                Map.entry("  Skipped", List.of("one", "two")),
                Map.entry("  PoemTest", List.of("connects", "countsTheLines", "downloads", "findsTheRhymes", "getsThePoem",
                        "getsThePoemLater", "readsTheTitle", "uploads")));
        assertThat(summary.line()).isEqualTo(
                "FAILED (skips=4, expectedFailures=1, failures=1, errors=1, unexpectedSuccesses=1, successes=4)");
    }

    @Test
    void eachClassIsHeldUntilItEndsWhenClassesRunInParallel() throws NoSuchMethodException {
        UniqueId engineId = UniqueId.forEngine(TrialKeys.ENGINE_ID);
        EngineDescriptor engine = new EngineDescriptor(engineId, "Twine trial");
        Node early = new Node(engineId.append("class", "Early"), "AllPass", ClassSource.from(AllPass.class));
        Node late = new Node(engineId.append("class", "Late"), "Skipped", ClassSource.from(Skipped.class));
        engine.addChild(early);
        engine.addChild(late);
        Node first = test(early, AllPass.class, "first");
        Node second = test(early, AllPass.class, "second");
        Node one = test(late, Skipped.class, "one");
        TestPlan plan = TestPlan.from(true, List.of(engine), parameters(Map.of(TrialKeys.PARALLEL, "2")), new OutputDirectoryCreator() {
            @Override
            public java.nio.file.Path getRootDirectory() {
                return java.nio.file.Path.of(".");
            }

            @Override
            public java.nio.file.Path createOutputDirectory(TestDescriptor descriptor) {
                return getRootDirectory();
            }
        });
        TreeReporter reporter = new TreeReporter(out, clock());

        // Both classes start; their tests end interleaved; the later class ends first.
        reporter.testPlanExecutionStarted(plan);
        TestExecutionResult ok = TestExecutionResult.successful();
        reporter.executionFinished(TestIdentifier.from(first), ok);
        reporter.executionFinished(TestIdentifier.from(one), ok);
        reporter.executionFinished(TestIdentifier.from(late), ok);
        reporter.executionFinished(TestIdentifier.from(second), ok);
        reporter.executionFinished(TestIdentifier.from(early), ok);
        reporter.testPlanExecutionFinished(plan);

        assertThat(lines().subList(0, 7)).containsExactly(
                "dev.twine.trial.examples.reporter",
                "  Skipped",
                "    one ...                                                                [OK]",
                "  AllPass",
                "    first ...                                                              [OK]",
                "    second ...                                                             [OK]",
                "");
    }

    private static Node test(Node parent, Class<?> type, String method) throws NoSuchMethodException {
        Node test = new Node(parent.getUniqueId().append("method", method), method,
                MethodSource.from(type, type.getDeclaredMethod(method)));
        parent.addChild(test);
        return test;
    }

    private static ConfigurationParameters parameters(Map<String, String> values) {
        return new ConfigurationParameters() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(values.get(key));
            }

            @Override
            public Optional<Boolean> getBoolean(String key) {
                return get(key).map(Boolean::parseBoolean);
            }

            @Override
            public Set<String> keySet() {
                return values.keySet();
            }
        };
    }

    /** A class (with a ClassSource) or a test (with a MethodSource) of a hand-made test plan. */
    private static final class Node extends AbstractTestDescriptor {
        Node(UniqueId id, String name, TestSource source) {
            super(id, name, source);
        }

        @Override
        public Type getType() {
            return getSource().orElseThrow() instanceof MethodSource ? Type.TEST : Type.CONTAINER;
        }
    }

    @Test
    void theRegisteredReporterPrintsOnlyWhenTurnedOn() {
        assertThat(ServiceLoader.load(TestExecutionListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(TreeReporter.class);

        PrintStream standard = System.out;
        System.setOut(out);
        try {
            LauncherFactory.create().execute(request(Map.of(), AllPass.class));
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();

            LauncherFactory.create().execute(request(Map.of(TrialKeys.REPORTER, "tree"), AllPass.class));
        } finally {
            System.setOut(standard);
        }
        assertThat(lines()).contains("    first ...                                                              [OK]",
                "PASSED (successes=2)");
    }

    @Test
    void verdictsFollowTrial() {
        assertThat(Verdict.of(TestExecutionResult.successful())).isEqualTo(Verdict.OK);
        assertThat(Verdict.of(TestExecutionResult.aborted(new SkipTest("why")))).isEqualTo(Verdict.SKIPPED);
        assertThat(Verdict.of(TestExecutionResult.aborted(new ExpectedFailure("why", new AssertionError()))))
                .isEqualTo(Verdict.TODO);
        assertThat(Verdict.of(TestExecutionResult.failed(new AssertionError("no")))).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.of(TestExecutionResult.failed(new MultipleFailuresError(null,
                List.of(new AssertionError("a"), new AssertionError("b")))))).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.of(TestExecutionResult.failed(new IllegalStateException()))).isEqualTo(Verdict.ERROR);
        assertThat(Verdict.of(TestExecutionResult.failed(new UnexpectedSuccess("T.m", "why"))))
                .isEqualTo(Verdict.UNEXPECTED_SUCCESS);
        // A todo test that passed but left the reactor dirty: the leftover is the error.
        assertThat(Verdict.of(TestExecutionResult.failed(new MultipleErrors(List.of(new UnexpectedSuccess("T.m", "why"),
                new DirtyReactorError(List.of("callLater(99 s)"), List.of(), List.of())))))).isEqualTo(Verdict.ERROR);
    }

    @Test
    void theSummaryLineLeavesOutZerosAndPassesWithoutFailuresOrErrors() {
        assertThat(new TreeReporter.Summary(0, Map.of(), 0).line()).isEqualTo("PASSED");
        TreeReporter.Summary unexpected = new TreeReporter.Summary(2, Map.of(Verdict.UNEXPECTED_SUCCESS, 1, Verdict.OK, 1), 0);
        assertThat(unexpected.line()).isEqualTo("PASSED (unexpectedSuccesses=1, successes=1)");
        assertThat(unexpected.wasSuccessful()).isTrue();
        assertThat(new TreeReporter.Summary(1, Map.of(Verdict.ERROR, 1), 0).line()).isEqualTo("FAILED (errors=1)");
    }
}
