package dev.twine.conformance.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.conformance.Catalogue;
import dev.twine.conformance.ConformanceKeys;
import dev.twine.conformance.harness.RuleLabels;
import dev.twine.trial.TrialKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects the outcome of every conformance rule in a run, prints a line as each finishes, and at
 * the end prints the report table and writes the JSON and HTML reports. Registered with the JUnit
 * Platform through {@link java.util.ServiceLoader}, so any launcher (Surefire, an IDE, the Console
 * Launcher) that runs rules produces the report; a run without rules produces nothing.
 */
@API(status = INTERNAL, since = "0.1")
public class ConformanceReportListener implements TestExecutionListener {
    private final PrintStream out;
    private final Path reportDirectoryOverride;
    private final Boolean progressOverride;
    private final List<RuleResult> results = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final java.util.Set<String> runNotes = new java.util.LinkedHashSet<>();
    private final Map<String, Long> started = new HashMap<>();
    private TestPlan plan;
    private boolean progress;
    private int expected;
    private Instant runStarted;
    private long runStartedNanos;
    private String reactor = "unknown reactor";
    private volatile ConformanceReport last;

    /** As the platform creates it: settings from the run's configuration parameters, output to {@code System.out}. */
    public ConformanceReportListener() {
        this(System.out, null, null);
    }

    /** With its output, and settings that override the configuration parameters when not null. */
    public ConformanceReportListener(PrintStream out, Path reportDirectory, Boolean progress) {
        this.out = out;
        this.reportDirectoryOverride = reportDirectory;
        this.progressOverride = progress;
    }

    /** Adds notes for the report of the next run (what the reader should know besides the rules). */
    public synchronized void addNotes(List<String> more) {
        notes.addAll(more);
    }

    /** The report of the last run that had rules, or null. */
    public ConformanceReport lastReport() {
        return last;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        results.clear();
        started.clear();
        runNotes.clear();
        reactor = "unknown reactor";
        runStarted = Instant.now();
        runStartedNanos = System.nanoTime();
        progress = progressOverride != null ? progressOverride
                : testPlan.getConfigurationParameters().getBoolean(ConformanceKeys.PROGRESS).orElse(true);
        expected = 0;
        for (TestIdentifier root : testPlan.getRoots()) {
            for (TestIdentifier node : testPlan.getDescendants(root)) {
                if (node.isTest() && rule(node).isPresent()) {
                    expected++;
                }
            }
        }
        if (expected > 0 && progress) {
            out.println("Twine reactor conformance: " + expected + " rules");
            out.flush();
        }
    }

    @Override
    public synchronized void executionStarted(TestIdentifier identifier) {
        if (identifier.isTest()) {
            started.put(identifier.getUniqueId(), System.nanoTime());
        }
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
        if (identifier.isTest()) {
            rule(identifier).ifPresent(entry -> record(entry, Status.SKIPPED, 0, reason));
            return;
        }
        if (plan != null) {
            for (TestIdentifier child : plan.getDescendants(identifier)) {
                if (child.isTest()) {
                    rule(child).ifPresent(entry -> record(entry, Status.SKIPPED, 0, reason));
                }
            }
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (!identifier.isTest()) {
            return;
        }
        Optional<Catalogue.Entry> entry = rule(identifier);
        if (entry.isEmpty()) {
            return;
        }
        Long start = started.remove(identifier.getUniqueId());
        double seconds = start == null ? 0 : (System.nanoTime() - start) / 1e9;
        switch (result.getStatus()) {
            case SUCCESSFUL -> record(entry.get(), Status.PASSED, seconds, "");
            case ABORTED -> record(entry.get(), Status.SKIPPED, seconds, result.getThrowable().map(Throwable::getMessage)
                    .orElse("aborted"));
            case FAILED -> record(entry.get(), Status.FAILED, seconds, result.getThrowable()
                    .map(failure -> instead(entry.get().id(), failure)).orElse("failed"));
        }
    }

    @Override
    public synchronized void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        String value = entry.getKeyValuePairs().get(ConformanceKeys.REACTOR_ENTRY);
        if (value != null) {
            reactor = value;
        }
        String note = entry.getKeyValuePairs().get(ConformanceKeys.NOTE_ENTRY);
        if (note != null) {
            runNotes.add(note);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (results.isEmpty()) {
            return;
        }
        double seconds = (System.nanoTime() - runStartedNanos) / 1e9;
        java.util.Set<String> allNotes = new java.util.LinkedHashSet<>(notes);
        allNotes.addAll(runNotes);
        String shard = testPlan.getConfigurationParameters().get(TrialKeys.SHARD).map(String::strip).filter(t -> !t.isEmpty())
                .orElse(null);
        ConformanceReport report = new ConformanceReport(reactor, runStarted, seconds, results, List.copyOf(allNotes), shard);
        List<Path> files = List.of();
        Path directory = reportDirectory(testPlan);
        try {
            files = report.write(directory);
        } catch (IOException | RuntimeException e) {
            out.println("Could not write the conformance report to " + directory + ": " + e);
        }
        out.print(report.console(files));
        out.flush();
        last = report;
    }

    private Path reportDirectory(TestPlan testPlan) {
        if (reportDirectoryOverride != null) {
            return reportDirectoryOverride;
        }
        Optional<String> configured = testPlan.getConfigurationParameters().get(ConformanceKeys.REPORT_DIR)
                .filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        return testPlan.getOutputDirectoryCreator().getRootDirectory().resolve("twine-conformance");
    }

    private void record(Catalogue.Entry entry, Status status, double seconds, String reason) {
        RuleResult result = new RuleResult(entry.id(), entry.capability(), entry.says(), status, seconds,
                reason == null ? "" : reason, entry.testClass().getSimpleName() + "." + entry.method().getName());
        results.add(result);
        if (progress) {
            String line = String.format(Locale.ROOT, "[%3d/%d] %-7s %-8s %6.3f s  %s", results.size(), expected, status,
                    entry.id(), seconds, ConformanceReport.shorten(entry.says(), 60));
            if (status != Status.PASSED && !reason.isEmpty()) {
                line += "\n                 " + ConformanceReport.shorten(ConformanceReport.oneLine(reason), 160);
            }
            out.println(line);
            out.flush();
        }
    }

    /** What the reactor did instead, from a rule's failure (without the rule id the failure starts with). */
    static String instead(String id, Throwable failure) {
        String message = failure.getMessage();
        boolean described = failure instanceof AssertionError || failure instanceof RuleLabels.RuleError;
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        if (message.startsWith(id + ": ")) {
            message = message.substring(id.length() + 2);
        }
        return described ? message : failure.getClass().getSimpleName() + ": " + message;
    }

    private static Optional<Catalogue.Entry> rule(TestIdentifier identifier) {
        Optional<TestSource> source = identifier.getSource();
        if (source.isEmpty() || !(source.get() instanceof MethodSource method)) {
            return Optional.empty();
        }
        if (!method.getClassName().startsWith("dev.twine.conformance.rules.")) {
            return Optional.empty();
        }
        return Catalogue.find(method.getClassName(), method.getMethodName());
    }
}
