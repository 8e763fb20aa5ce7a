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
import org.junit.platform.engine.CancellationToken;
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
        LauncherFactory.create().execute(LauncherExecutionRequestBuilder.request(request(Map.of(), classes))
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
