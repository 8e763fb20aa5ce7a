package dev.twine.trial.engine.descriptor;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.testing.SeededParameters.Seeds;
import dev.twine.trial.Skip;
import dev.twine.trial.TestDeclarationError;
import dev.twine.trial.TestLabeler;
import dev.twine.trial.engine.discovery.Declarations;
import dev.twine.trial.engine.execution.Outcome;
import dev.twine.trial.engine.execution.TrialExecutionContext;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apiguardian.api.API;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.hierarchical.Node;
import org.opentest4j.TestAbortedException;

/**
 * Internal. One trial test. Normally a test; when the run repeats tests until they fail, a container
 * of passes registered as they run.
 */
@API(status = INTERNAL, since = "0.1")
public final class MethodDescriptor extends AbstractTestDescriptor implements Node<TrialExecutionContext> {
    /** The unique id segment type of a method. */
    public static final String SEGMENT = "method";

    private final Class<?> testClass;
    private final Method method;
    private final int passes;
    /** The seeds a test with a seeded parameter runs, one pass each; null for other tests. */
    private final Seeds seeds;
    private final Set<TestTag> tags;
    private final TestLabeler labeler;
    private final String problem;

    /**
     * {@code classTags} are the tags of the class, which its tests carry as well; {@code labeler}
     * is the class's {@link TestLabeler}, or null; {@code problem} is what keeps the test from
     * running as declared (it then fails with that reason), or null.
     */
    public MethodDescriptor(UniqueId uniqueId, Class<?> testClass, Method method, int passes, Set<TestTag> classTags,
            TestLabeler labeler, String problem) {
        this(uniqueId, testClass, method, passes, null, classTags, labeler, problem);
    }

    /**
     * As above, for a test that takes a seeded parameter: {@code seeds} (not null) are the seeds it
     * runs, each as a pass, stopping at the first that fails; {@code passes} is then ignored.
     */
    public MethodDescriptor(UniqueId uniqueId, Class<?> testClass, Method method, int passes, Seeds seeds,
            Set<TestTag> classTags, TestLabeler labeler, String problem) {
        super(uniqueId, displayName(labeler, testClass, method), MethodSource.from(testClass, method));
        this.testClass = testClass;
        this.method = method;
        this.passes = passes;
        this.seeds = problem == null ? seeds : null;
        this.labeler = labeler;
        this.problem = problem;
        Set<TestTag> all = new LinkedHashSet<>(classTags);
        all.addAll(Tags.of(method));
        if (labeler != null) {
            labeler.tags(testClass, method).stream().filter(TestTag::isValid).map(TestTag::create).forEach(all::add);
        }
        this.tags = Collections.unmodifiableSet(all);
    }

    private static String displayName(TestLabeler labeler, Class<?> testClass, Method method) {
        String name = labeler == null ? null : labeler.displayName(testClass, method);
        if (name != null && !name.isBlank()) {
            return name;
        }
        return overloaded(testClass, method) ? method.getName() + parameterList(method) : method.getName();
    }

    /** Whether another test of the class has the same name, so that the name alone cannot tell them apart. */
    private static boolean overloaded(Class<?> testClass, Method method) {
        return OVERLOADED_NAMES.get(testClass).contains(method.getName());
    }

    /**
     * The names that several tests of a class (with its superclasses) share, found once per class:
     * looking through every method for each test made discovering a class of n tests cost n² method
     * copies (a second of a cold 1,000-test run).
     */
    private static final ClassValue<Set<String>> OVERLOADED_NAMES = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> testClass) {
            Set<String> seen = new HashSet<>();
            Set<String> shared = new HashSet<>();
            for (Method m : Declarations.testMethods(testClass)) {
                if (!seen.add(m.getName())) {
                    shared.add(m.getName());
                }
            }
            return Set.copyOf(shared);
        }
    };

    private static String parameterList(Method method) {
        StringBuilder list = new StringBuilder("(");
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            list.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return list.append(')').toString();
    }

    /** The unique id segment value of {@code method}: {@code name(type, type)}. */
    public static String segmentValue(Method method) {
        StringBuilder value = new StringBuilder(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            value.append(i == 0 ? "" : ",").append(types[i].getName());
        }
        return value.append(')').toString();
    }

    public Method method() {
        return method;
    }

    /**
     * Always one after another: the tests of a class share its reactor, so even when classes run in
     * parallel ({@code twine.trial.parallel}) their set-ups, bodies and janitors must not interleave.
     */
    @Override
    public ExecutionMode getExecutionMode() {
        return ExecutionMode.SAME_THREAD;
    }

    @Override
    public Type getType() {
        return repeats() ? Type.CONTAINER : Type.TEST;
    }

    @Override
    public boolean mayRegisterTests() {
        return repeats();
    }

    /** Whether the test runs as passes registered as they run: repeated until it fails, or once per seed. */
    private boolean repeats() {
        return passes > 1 || seeds != null;
    }

    /**
     * What Surefire and Gradle name the test case: the labeler's name when the class has one (so a
     * conformance rule's id is in Surefire's XML), else the method's name.
     */
    @Override
    public String getLegacyReportingName() {
        return labeler != null ? getDisplayName() : method.getName();
    }

    @Override
    public Set<TestTag> getTags() {
        return tags;
    }

    @Override
    public SkipResult shouldBeSkipped(TrialExecutionContext context) {
        Skip skip = method.getAnnotation(Skip.class);
        return skip == null ? SkipResult.doNotSkip() : SkipResult.skip(skip.value());
    }

    @Override
    public TrialExecutionContext execute(TrialExecutionContext context, DynamicTestExecutor dynamic) throws Exception {
        if (problem != null) {
            throw new TestDeclarationError(problem + "; the test cannot run as declared");
        }
        if (!repeats()) {
            runOnce(context, this, testClass, method, labeler, null);
            return context;
        }
        int runs = seeds != null ? seeds.count() : passes;
        for (int pass = 1; pass <= runs; pass++) {
            PassDescriptor child = seeds != null
                    ? PassDescriptor.seeded(getUniqueId(), seeds.seed(pass - 1), pass, runs, testClass, method, labeler)
                    : new PassDescriptor(getUniqueId().append(PassDescriptor.SEGMENT, String.valueOf(pass)),
                            pass, passes, testClass, method, labeler);
            addChild(child);
            TestExecutionResult[] result = new TestExecutionResult[1];
            try {
                dynamic.execute(child, new EngineExecutionListener() {
                    @Override
                    public void executionFinished(TestDescriptor descriptor, TestExecutionResult finished) {
                        if (descriptor == child) {
                            result[0] = finished;
                        }
                        context.listener().executionFinished(descriptor, finished);
                    }

                    @Override
                    public void executionStarted(TestDescriptor descriptor) {
                        context.listener().executionStarted(descriptor);
                    }

                    @Override
                    public void executionSkipped(TestDescriptor descriptor, String reason) {
                        context.listener().executionSkipped(descriptor, reason);
                    }

                    @Override
                    public void dynamicTestRegistered(TestDescriptor descriptor) {
                        context.listener().dynamicTestRegistered(descriptor);
                    }

                    @Override
                    public void reportingEntryPublished(TestDescriptor descriptor, ReportEntry entry) {
                        context.listener().reportingEntryPublished(descriptor, entry);
                    }
                }).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            if (result[0] == null || result[0].getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                break;
            }
        }
        return context;
    }

    /** Runs the test once on the class's reactor and reports how it went (by returning or throwing). */
    static void runOnce(TrialExecutionContext context, TestDescriptor reportedOn, Class<?> testClass, Method method,
            TestLabeler labeler, Long seed) throws Exception {
        Outcome outcome = context.classRun().runTest(method, seed);
        outcome.entries().forEach((key, value) -> context.listener().reportingEntryPublished(reportedOn, ReportEntry.from(key, value)));
        if (!outcome.printed().isEmpty()) {
            context.listener().reportingEntryPublished(reportedOn, ReportEntry.from(outcome.printed()));
        }
        for (String warning : outcome.warnings()) {
            context.listener().reportingEntryPublished(reportedOn, ReportEntry.from("twine.trial.unclean", warning));
        }
        try {
            outcome.report();
        } catch (TestAbortedException skippedOrTodo) {
            throw skippedOrTodo;
        } catch (Throwable t) {
            Throwable labelled = labeler == null ? null : labeler.failure(testClass, method, t);
            throw rethrow(labelled != null ? labelled : t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
