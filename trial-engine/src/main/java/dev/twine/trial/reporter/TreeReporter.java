package dev.twine.trial.reporter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.trial.ExpectedFailure;
import dev.twine.trial.TrialKeys;
import dev.twine.trial.UnexpectedSuccess;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Trial's tree reporter ({@code verbose}) as a JUnit Platform {@link TestExecutionListener}: what a
 * Twisted user reads at the end of {@code trial}, for any engine's tests (trial tests best).
 *
 * <p>As each test ends it prints the test under its package and class, with its verdict in column
 * 79 ({@link Verdict}):
 * <pre>
 * dev.twine.tutorial
 *   PoetryTest
 *     getsThePoem ...                                                         [OK]
 * </pre>
 * then, when the run ends, a block per problem under a rule of {@code =} (grouped by verdict in
 * trial's order, the tests with the same reason or trace grouped together, each named {@code
 * package.Class.method}), a rule of {@code -}, {@code Ran N tests in X.XXXs} and trial's summary
 * line: {@code PASSED (successes=7)} or {@code FAILED (skips=1, expectedFailures=1, failures=1,
 * errors=2, unexpectedSuccesses=1, successes=7)}, zero counts left out. As in trial, the run has
 * failed when a test failed or had an error; a skip, a todo or an unexpected success alone does not
 * fail it.
 *
 * <p>Registered with the JUnit Platform's {@code ServiceLoader}, so that the Console Launcher, Surefire
 * and IDEs create one with every run; that one prints only when the configuration parameter {@value
 * TrialKeys#REPORTER} is {@code tree} (for instance {@code --config=twine.trial.reporter=tree
 * --details=none} for the Console Launcher), on the standard output of the moment the run starts.
 * One created with {@link #TreeReporter(PrintStream)} always prints, on its stream. Each line is
 * printed as its test ends; when classes run in parallel ({@value TrialKeys#PARALLEL} above 1) the
 * lines of a class are held until it ends and printed together, so that the tree stays a tree.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class TreeReporter implements TestExecutionListener {
    /** The value of {@value TrialKeys#REPORTER} that turns the registered reporter on. */
    public static final String TREE = "tree";

    private static final int WIDTH = 79;
    private static final String DOUBLE_RULE = "=".repeat(WIDTH);
    private static final String SINGLE_RULE = "-".repeat(WIDTH);

    private final PrintStream fixedOut;
    private final LongSupplier nanoTime;
    private CancellationToken stopAtFirstProblem;

    private PrintStream out;
    private TestPlan plan;
    private long startedAt;
    private List<String> lastPath = List.of();
    /** With classes in parallel: the lines of each class still running, printed together when it ends. */
    private Map<TestIdentifier, List<Line>> pendingByClass;
    private final Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    /** For each verdict with details, the text of each problem and the tests that had it. */
    private final Map<Verdict, Map<String, List<String>>> details = new EnumMap<>(Verdict.class);
    private int testsRun;
    private boolean stopping;
    private Summary summary;

    /** The reporter the JUnit Platform registers: silent unless {@value TrialKeys#REPORTER} is {@code tree}. */
    public TreeReporter() {
        this(null, System::nanoTime);
    }

    /** A reporter that prints every run it is registered for on {@code out}. */
    public TreeReporter(PrintStream out) {
        this(out, System::nanoTime);
    }

    /** A reporter that prints on {@code out} and times the run with {@code nanoTime} (tests give a fixed clock). */
    TreeReporter(PrintStream out, LongSupplier nanoTime) {
        this.fixedOut = out;
        this.nanoTime = nanoTime;
    }

    /**
     * Makes this reporter cancel {@code token} when the first test fails or has an error (trial's
     * {@code --exitfirst}), and leave out of its report the tests the cancelled run then skips.
     * Returns this reporter.
     */
    public synchronized TreeReporter stopAtFirstProblem(CancellationToken token) {
        this.stopAtFirstProblem = token;
        return this;
    }

    /** The summary of the last run that ended, if one has (and this reporter was on). */
    public synchronized Optional<Summary> summary() {
        return Optional.ofNullable(summary);
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        boolean on = fixedOut != null || testPlan.getConfigurationParameters().get(TrialKeys.REPORTER)
                .map(v -> v.trim().equalsIgnoreCase(TREE)).orElse(false);
        // The stream of the moment, kept: tests and the engine's output capture may replace System.out later.
        out = !on ? null : fixedOut != null ? fixedOut : System.out;
        plan = testPlan;
        startedAt = nanoTime.getAsLong();
        lastPath = List.of();
        boolean parallel = testPlan.getConfigurationParameters().get(TrialKeys.PARALLEL)
                .map(String::trim).filter(v -> !v.equals("1")).isPresent();
        pendingByClass = parallel ? new LinkedHashMap<>() : null;
        counts.clear();
        details.clear();
        testsRun = 0;
        stopping = false;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
        if (out == null || stopping) {
            return; // after --exitfirst cancelled the run, its skips are not the tests' own
        }
        if (identifier.isTest()) {
            record(identifier, Verdict.SKIPPED, reasonText(reason));
            return;
        }
        // A skipped class: each of its tests is skipped, as trial reports a class's skip.
        for (TestIdentifier descendant : plan.getDescendants(identifier)) {
            if (descendant.isTest() || plan.getChildren(descendant).isEmpty() && isMethod(descendant)) {
                record(descendant, Verdict.SKIPPED, reasonText(reason));
            }
        }
        flush(identifier);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (out == null) {
            return;
        }
        Verdict verdict = Verdict.of(result);
        if (identifier.isTest()) {
            record(identifier, verdict, detail(verdict, result));
        } else if (verdict == Verdict.ERROR || verdict == Verdict.FAIL) {
            // A class or engine that could not run or finish: an error of its own, as trial reports a
            // failed setUpClass; it is not a test.
            recordProblem(identifier, Verdict.ERROR, detail(Verdict.ERROR, result), false);
        } else if (verdict == Verdict.SKIPPED && !stopping) {
            recordProblem(identifier, Verdict.SKIPPED, detail(Verdict.SKIPPED, result), false);
        }
        flush(identifier);
    }

    /** Prints the lines held for {@code container}, now that it has ended. */
    private void flush(TestIdentifier container) {
        List<Line> pending = pendingByClass == null ? null : pendingByClass.remove(container);
        if (pending != null) {
            pending.forEach(line -> printLine(line.identifier(), line.verdict()));
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (out == null) {
            return;
        }
        long elapsed = nanoTime.getAsLong() - startedAt;
        summary = new Summary(testsRun, new EnumMap<>(counts), elapsed);
        if (pendingByClass != null) {
            List.copyOf(pendingByClass.keySet()).forEach(this::flush);
        }
        out.println();
        for (Map.Entry<Verdict, Map<String, List<String>>> kind : details.entrySet()) {
            for (Map.Entry<String, List<String>> problem : kind.getValue().entrySet()) {
                out.println(DOUBLE_RULE);
                out.println(kind.getKey().tag());
                out.println(problem.getKey());
                out.println();
                problem.getValue().forEach(out::println);
            }
        }
        out.println(SINGLE_RULE);
        out.println(String.format(Locale.ROOT, "Ran %d tests in %.3fs", testsRun, elapsed / 1e9));
        out.println();
        out.println(summary.line());
        out.flush();
        out = null;
    }

    private void record(TestIdentifier test, Verdict verdict, String detail) {
        testsRun++;
        recordProblem(test, verdict, detail, true);
    }

    private void recordProblem(TestIdentifier identifier, Verdict verdict, String detail, boolean test) {
        counts.merge(verdict, 1, Integer::sum);
        TestIdentifier top = pendingByClass == null ? null : topContainer(identifier);
        if (top != null) {
            pendingByClass.computeIfAbsent(top, t -> new ArrayList<>()).add(new Line(identifier, verdict));
        } else {
            printLine(identifier, verdict);
        }
        if (verdict != Verdict.OK) {
            details.computeIfAbsent(verdict, v -> new LinkedHashMap<>())
                    .computeIfAbsent(detail, d -> new ArrayList<>()).add(testId(identifier));
        }
        if (verdict.failsTheRun() && stopAtFirstProblem != null && !stopping) {
            stopping = true;
            stopAtFirstProblem.cancel();
        }
    }

    /** Prints the containers that differ from the previous line's, then the test and its verdict. */
    private void printLine(TestIdentifier identifier, Verdict verdict) {
        List<String> path = path(identifier);
        int same = 0;
        while (same < path.size() - 1 && same < lastPath.size() - 1 && path.get(same).equals(lastPath.get(same))) {
            same++;
        }
        for (int i = same; i < path.size() - 1; i++) {
            out.println("  ".repeat(i) + path.get(i));
        }
        String name = "  ".repeat(path.size() - 1) + path.get(path.size() - 1) + " ...";
        int gap = Math.max(1, WIDTH - name.length() - verdict.tag().length());
        out.println(name + " ".repeat(gap) + verdict.tag());
        out.flush();
        lastPath = path;
    }

    /** The node right under the engine that {@code identifier} is in (its class), or null for the engine itself. */
    private TestIdentifier topContainer(TestIdentifier identifier) {
        TestIdentifier node = identifier;
        for (TestIdentifier parent = plan.getParent(node).orElse(null); parent != null;
                node = parent, parent = plan.getParent(node).orElse(null)) {
            if (plan.getParent(parent).isEmpty()) {
                return node;
            }
        }
        return null;
    }

    private record Line(TestIdentifier identifier, Verdict verdict) {
    }

    /**
     * Where a test is in the tree: its package, its class (nested classes joined with dots), then the
     * display name of each node below (a test, or a repeated test and its pass).
     */
    private List<String> path(TestIdentifier identifier) {
        Deque<TestIdentifier> chain = new ArrayDeque<>();
        for (TestIdentifier node = identifier; node != null; node = plan.getParent(node).orElse(null)) {
            chain.addFirst(node);
        }
        if (chain.size() > 1) {
            chain.removeFirst(); // the engine
        }
        List<String> path = new ArrayList<>();
        boolean inClass = false;
        for (TestIdentifier node : chain) {
            TestSource source = node.getSource().orElse(null);
            if (source instanceof ClassSource classSource && !inClass) {
                String className = classSource.getClassName();
                int dot = className.lastIndexOf('.');
                if (dot > 0) {
                    path.add(className.substring(0, dot));
                }
                path.add(className.substring(dot + 1).replace('$', '.'));
                inClass = true;
            } else {
                path.add(node.getDisplayName());
            }
        }
        return path;
    }

    /** How trial names a test under its details: {@code package.Class.method}. */
    private String testId(TestIdentifier identifier) {
        TestSource source = identifier.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            String id = method.getClassName() + "." + method.getMethodName();
            Optional<TestIdentifier> parent = plan.getParent(identifier);
            boolean repeated = parent.isPresent() && parent.get().getSource().orElse(null) instanceof MethodSource;
            return repeated ? id + " (" + identifier.getDisplayName() + ")" : id;
        }
        if (source instanceof ClassSource type) {
            return type.getClassName();
        }
        return identifier.getDisplayName();
    }

    private static boolean isMethod(TestIdentifier identifier) {
        return identifier.getSource().orElse(null) instanceof MethodSource;
    }

    private static String reasonText(String reason) {
        return reason == null || reason.isBlank() ? "(no reason given)" : reason;
    }

    /** The text of a problem: a skip's reason, a todo's reason and failure, a failure's or error's trace. */
    private static String detail(Verdict verdict, TestExecutionResult result) {
        Throwable thrown = result.getThrowable().orElse(null);
        switch (verdict) {
            case SKIPPED:
                return reasonText(thrown == null ? null : thrown.getMessage());
            case TODO:
                ExpectedFailure todo = (ExpectedFailure) thrown;
                return "Reason: '" + todo.reason() + "'" + (todo.getCause() == null ? "" : "\n" + trace(todo.getCause()));
            case UNEXPECTED_SUCCESS:
                return "Reason: '" + ((UnexpectedSuccess) thrown).reason() + "'";
            default:
                return thrown == null ? "(no exception given)" : trace(thrown);
        }
    }

    private static String trace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString().stripTrailing().replace(System.lineSeparator(), "\n");
    }

    /**
     * The counts of one run, as trial's summary line gives them.
     *
     * @param testsRun the tests that ran or were skipped (a class's own error is not a test)
     * @param counts how many of each verdict (a class's own error counts as an error)
     * @param nanos how long the run took
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Summary(int testsRun, Map<Verdict, Integer> counts, long nanos) {
        public Summary {
            counts = Map.copyOf(counts);
        }

        /** How many of {@code verdict}. */
        public int count(Verdict verdict) {
            return counts.getOrDefault(verdict, 0);
        }

        /** Trial's {@code PASSED}: no test failed nor had an error. */
        public boolean wasSuccessful() {
            return count(Verdict.FAIL) == 0 && count(Verdict.ERROR) == 0;
        }

        /** {@code PASSED (successes=7)}, {@code FAILED (failures=1, errors=2, successes=7)}: zero counts left out. */
        public String line() {
            StringBuilder line = new StringBuilder(wasSuccessful() ? "PASSED" : "FAILED");
            String separator = " (";
            for (Verdict verdict : Verdict.values()) {
                if (count(verdict) > 0) {
                    line.append(separator).append(verdict.countName()).append('=').append(count(verdict));
                    separator = ", ";
                }
            }
            return separator.equals(", ") ? line.append(')').toString() : line.toString();
        }
    }
}
