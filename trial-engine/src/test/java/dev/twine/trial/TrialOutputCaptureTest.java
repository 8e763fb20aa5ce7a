package dev.twine.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.examples.PrintsInParallelA;
import dev.twine.trial.examples.PrintsInParallelB;
import dev.twine.trial.examples.PrintsOnTheReactorThread;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** junit.platform.output.capture.stdout / stderr: what a trial test prints is reported on it. */
class TrialOutputCaptureTest {
    private static final String NL = System.lineSeparator();

    /** Each test's display name, with the stdout / stderr report entries published on it (one string per entry). */
    private static List<String> printed(EngineExecutionResults results) {
        List<String> printed = new ArrayList<>();
        results.allEvents().reportingEntryPublished().stream().forEach(event -> {
            Map<String, String> pairs = event.getRequiredPayload(ReportEntry.class).getKeyValuePairs();
            if (pairs.containsKey("stdout") || pairs.containsKey("stderr")) {
                printed.add(event.getTestDescriptor().getDisplayName() + " " + withoutTimestamp(pairs));
            }
        });
        return printed;
    }

    private static Map<String, String> withoutTimestamp(Map<String, String> pairs) {
        Map<String, String> copy = new java.util.TreeMap<>(pairs);
        copy.remove("timestamp");
        return copy;
    }

    /** Runs {@code run} with System.out and System.err going to {@code console}; checks the run put them back. */
    private static <T> T withConsole(ByteArrayOutputStream console, Supplier<T> run) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(console, true, Charset.defaultCharset());
        System.setOut(both);
        System.setErr(both);
        try {
            T result = run.get();
            assertThat(System.out).as("System.out, put back after the run").isSameAs(both);
            assertThat(System.err).as("System.err, put back after the run").isSameAs(both);
            return result;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void whatATestPrintsOnTheReactorThreadIsReportedOnThatTestAndStillReachesTheConsole() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        EngineExecutionResults results = withConsole(console, () -> EngineTestKit.engine(TrialKeys.ENGINE_ID)
                .selectors(selectClass(PrintsOnTheReactorThread.class))
                .configurationParameter(TrialConfiguration.CAPTURE_STDOUT, "true")
                .configurationParameter(TrialConfiguration.CAPTURE_STDERR, "true").execute());

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(printed(results)).containsExactlyInAnyOrder(
                "prints {stderr=to stderr" + NL + ", stdout=set-up" + NL + "test" + NL + "later" + NL + "cleanup" + NL + "}",
                "printsOnlyInItsSetUp {stdout=set-up" + NL + "}");
        assertThat(console.toString(Charset.defaultCharset())).contains("test" + NL, "later" + NL, "to stderr" + NL);
    }

    @Test
    void outputIsNotCapturedByDefault() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        EngineExecutionResults results = withConsole(console, () -> EngineTestKit.engine(TrialKeys.ENGINE_ID)
                .selectors(selectClass(PrintsOnTheReactorThread.class)).execute());

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(printed(results)).isEmpty();
        assertThat(console.toString(Charset.defaultCharset())).contains("later" + NL);
    }

    @Test
    void theMostCapturedPerTestIsMaxBuffer() {
        EngineExecutionResults results = withConsole(new ByteArrayOutputStream(), () -> EngineTestKit.engine(TrialKeys.ENGINE_ID)
                .selectors(selectClass(PrintsOnTheReactorThread.class))
                .configurationParameter(TrialConfiguration.CAPTURE_STDOUT, "true")
                .configurationParameter(TrialConfiguration.CAPTURE_MAX_BUFFER, "5").execute());

        assertThat(printed(results)).containsExactlyInAnyOrder("prints {stdout=set-u}", "printsOnlyInItsSetUp {stdout=set-u}");
    }

    @Test
    void classesRunningInParallelDoNotMixTheirOutput() {
        PrintsInParallelA.BOTH_PRINTED = new CountDownLatch(2);
        EngineExecutionResults results = withConsole(new ByteArrayOutputStream(), () -> EngineTestKit.engine(TrialKeys.ENGINE_ID)
                .selectors(selectClass(PrintsInParallelA.class), selectClass(PrintsInParallelB.class))
                .configurationParameter(TrialKeys.PARALLEL, "2")
                .configurationParameter(TrialConfiguration.CAPTURE_STDOUT, "true").execute());

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(printed(results)).containsExactlyInAnyOrder(
                "printsAroundTheOther {stdout=A before" + NL + "A after" + NL + "}",
                "printsAroundTheOther {stdout=B before" + NL + "B after" + NL + "}");
    }

    /**
     * Under the launcher, which captures per thread too: the launcher reports each test's output
     * once, and classes in parallel do not mix (its own capture would give a reactor thread's output
     * to whichever test printed last).
     */
    @Test
    void underTheLauncherEachTestsOutputIsReportedOnceAndNotMixed() {
        PrintsInParallelA.BOTH_PRINTED = new CountDownLatch(2);
        List<String> printed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                Map<String, String> pairs = entry.getKeyValuePairs();
                if (pairs.containsKey("stdout") || pairs.containsKey("stderr")) {
                    printed.add(test.getLegacyReportingName() + " " + withoutTimestamp(pairs));
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    results.add(result.getStatus().toString());
                }
            }
        };
        withConsole(new ByteArrayOutputStream(), () -> {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(PrintsInParallelA.class), selectClass(PrintsInParallelB.class))
                    .filters(EngineFilter.includeEngines(TrialKeys.ENGINE_ID))
                    .configurationParameter(TrialKeys.PARALLEL, "2")
                    .configurationParameter(TrialConfiguration.CAPTURE_STDOUT, "true").build(), listener);
            return null;
        });

        assertThat(results).containsExactly("SUCCESSFUL", "SUCCESSFUL");
        assertThat(printed).containsExactlyInAnyOrder(
                "printsAroundTheOther {stdout=A before" + NL + "A after" + NL + "}",
                "printsAroundTheOther {stdout=B before" + NL + "B after" + NL + "}");
    }
}
