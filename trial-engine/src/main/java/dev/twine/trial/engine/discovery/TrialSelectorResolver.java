package dev.twine.trial.engine.discovery;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.twine.testing.SeededParameters.Seeds;
import dev.twine.trial.LabelTestsWith;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.TestLabeler;
import dev.twine.trial.TrialTest;
import dev.twine.trial.engine.config.SeededRuns;
import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.engine.descriptor.ClassDescriptor;
import dev.twine.trial.engine.descriptor.MethodDescriptor;
import dev.twine.trial.engine.descriptor.PassDescriptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.IterationSelector;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Internal. Turns class, method and unique-id selectors into the tree (package, class-path root and
 * module selectors arrive as class selectors). A declaration the engine cannot run is never a
 * silent skip: it is a WARNING discovery issue with its source, and the test it spoils is still in
 * the tree and fails with the reason (trial reports such a test as an error and runs the rest).
 */
@API(status = INTERNAL, since = "0.1")
public final class TrialSelectorResolver implements SelectorResolver {
    private final UniqueId engineRoot;
    private final Predicate<String> classNameFilter;
    private final DiscoveryIssueReporter issues;
    private final TrialConfiguration config;
    /** Whether each class looked at can run; a class is checked (and its problems reported) once, not once per method. */
    private final Map<Class<?>, Boolean> runnable = new HashMap<>();
    private final Map<Class<?>, List<Method>> testMethods = new HashMap<>();
    private final Map<Method, Optional<String>> testMethodProblems = new HashMap<>();
    /** The labeler of each runnable class that names one ({@link LabelTestsWith}). */
    private final Map<Class<?>, TestLabeler> labelers = new HashMap<>();
    /** What keeps all the tests of a class from running (the class itself, its labeler, a lifecycle method), if anything. */
    private final Map<Class<?>, Optional<String>> classProblems = new HashMap<>();
    /** Seeds chosen by a seed's unique id ({@code …/[seed:S]}), by class name and method segment value. */
    private final Map<String, Long> selectedSeeds = new HashMap<>();
    /** Every test descriptor made, by unique id: a test is made once, whether selected alone, with its class or both. */
    private final Map<UniqueId, MethodDescriptor> methodDescriptors = new HashMap<>();
    /** Classes whose tests were selected one by one (by method or unique id). */
    private final Set<Class<?>> classesOfSelectedTests = new java.util.HashSet<>();

    /** {@code engineRoot} is the unique id of this engine's root descriptor, which another engine may have prefixed. */
    public TrialSelectorResolver(UniqueId engineRoot, Predicate<String> classNameFilter, DiscoveryIssueReporter issues,
            TrialConfiguration config) {
        this.engineRoot = engineRoot;
        this.classNameFilter = classNameFilter;
        this.issues = issues;
        this.config = config;
    }

    @Override
    public Resolution resolve(ClassSelector selector, Context context) {
        Class<?> type;
        try {
            type = selector.getJavaClass();
        } catch (RuntimeException | LinkageError e) {
            return Resolution.unresolved();
        }
        // Class-name patterns choose among classes found by scanning; the class of a test picked by
        // method or unique id (an IDE's or Surefire's re-run, also inside a suite whose default
        // pattern the class's name does not match) is wanted whatever its name.
        if (!(classNameFilter.test(type.getName()) || classesOfSelectedTests.contains(type)) || !runnable(type)) {
            return Resolution.unresolved();
        }
        // A class selected as a whole gets its tests as children directly, not through a method
        // selector each (which the platform would resolve one by one): with thousands of tests, that
        // round trip was most of discovering them in a cold JVM. The supplier runs only when the class
        // itself was selected, not when it is the parent of a test selected alone.
        return context.addToParent(parent -> Optional.of(classDescriptor(parent.getUniqueId(), type)))
                .map(descriptor -> Resolution.match(Match.exact(descriptor, () -> {
                    addTests(descriptor, type);
                    return Set.of();
                })))
                .orElse(Resolution.unresolved());
    }

    /** Adds every test of {@code type} to its class descriptor, but those already there (selected one by one). */
    private void addTests(TestDescriptor classDescriptor, Class<?> type) {
        for (Method method : testMethods(type)) {
            if (!methodDescriptors.containsKey(methodId(classDescriptor, method))) {
                classDescriptor.addChild(methodDescriptor(classDescriptor, type, method));
            }
        }
    }

    private static UniqueId methodId(TestDescriptor classDescriptor, Method method) {
        return classDescriptor.getUniqueId().append(MethodDescriptor.SEGMENT, MethodDescriptor.segmentValue(method));
    }

    /** The descriptor of test {@code method} of {@code type} under {@code parent}: what keeps it from running, its seeds. */
    private MethodDescriptor methodDescriptor(TestDescriptor parent, Class<?> type, Method method) {
        Optional<String> problem = problem(type, method);
        Seeds seeds = null;
        if (problem.isEmpty()) {
            try {
                Long selectedSeed = selectedSeeds.get(type.getName() + "#" + MethodDescriptor.segmentValue(method));
                seeds = selectedSeed != null && SeededRuns.providerFor(method).isPresent() ? new Seeds(selectedSeed, 1)
                        : SeededRuns.seeds(method, config.parameters()).orElse(null);
            } catch (IllegalArgumentException e) {
                problem = Optional.of(e.getMessage());
            }
        }
        MethodDescriptor descriptor = new MethodDescriptor(methodId(parent, method), type, method,
                problem.isPresent() ? 1 : config.untilFailure(), seeds, parent.getTags(), labelers.get(type), problem.orElse(null));
        methodDescriptors.put(descriptor.getUniqueId(), descriptor);
        return descriptor;
    }

    @Override
    public Resolution resolve(MethodSelector selector, Context context) {
        Class<?> type;
        Method method;
        try {
            type = selector.getJavaClass();
            method = selector.getJavaMethod();
        } catch (RuntimeException | LinkageError e) {
            return Resolution.unresolved();
        }
        if (!method.isAnnotationPresent(TrialTest.class) || !runnable(type)) {
            return Resolution.unresolved();
        }
        classesOfSelectedTests.add(type);
        // The test may be there already, added with its whole class: then that descriptor is the match.
        return context.<MethodDescriptor>addToParent(() -> selectClass(type), parent -> Optional.of(
                        Optional.ofNullable(methodDescriptors.get(methodId(parent, method)))
                                .orElseGet(() -> methodDescriptor(parent, type, method))))
                .map(descriptor -> Resolution.match(Match.exact(descriptor)))
                .orElse(Resolution.unresolved());
    }

    /**
     * Resolves a unique id relative to this engine's own root, wherever the engine sits: at the top
     * ({@code [engine:twine-trial]/[class:…]}) or inside another engine such as
     * {@code junit-platform-suite} ({@code [engine:junit-platform-suite]/[suite:…]/[engine:twine-trial]/…}),
     * as IDEs and Surefire re-run a test. A pass's id ({@code …/[pass:3]}) re-runs its test; a seed's
     * id ({@code …/[seed:42]}) re-runs its test with that seed only.
     */
    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
        UniqueId uniqueId = selector.getUniqueId();
        if (!uniqueId.hasPrefix(engineRoot) || uniqueId.equals(engineRoot)) {
            return Resolution.unresolved();
        }
        List<UniqueId.Segment> segments = uniqueId.getSegments().subList(engineRoot.getSegments().size(),
                uniqueId.getSegments().size());
        if (!segments.get(0).getType().equals(ClassDescriptor.SEGMENT)) {
            return Resolution.unresolved();
        }
        String className = segments.get(0).getValue();
        if (segments.size() == 1) {
            return Resolution.selectors(Set.of(selectClass(className)));
        }
        UniqueId.Segment methodSegment = segments.get(1);
        if (!methodSegment.getType().equals(MethodDescriptor.SEGMENT) || segments.size() > 3 || (segments.size() == 3
                && !segments.get(2).getType().equals(PassDescriptor.SEGMENT) && !segments.get(2).getType().equals(PassDescriptor.SEED_SEGMENT))) {
            return Resolution.unresolved();
        }
        String value = methodSegment.getValue();
        int open = value.indexOf('(');
        if (open < 0 || !value.endsWith(")")) {
            return Resolution.unresolved();
        }
        if (segments.size() == 3 && segments.get(2).getType().equals(PassDescriptor.SEED_SEGMENT)) {
            try {
                // A seed's id runs that seed only: how an IDE re-runs the failing seed of a seed loop.
                selectedSeeds.put(className + "#" + value, Long.parseLong(segments.get(2).getValue()));
            } catch (NumberFormatException e) {
                return Resolution.unresolved();
            }
        }
        return Resolution.selectors(Set.of(selectMethod(className, value.substring(0, open), value.substring(open + 1, value.length() - 1))));
    }

    /** An iteration of a test (a pass, when tests repeat until they fail) re-runs the test. */
    @Override
    public Resolution resolve(IterationSelector selector, Context context) {
        DiscoverySelector parent = selector.getParentSelector();
        return parent instanceof MethodSelector || parent instanceof UniqueIdSelector
                ? Resolution.selectors(Set.of(parent)) : Resolution.unresolved();
    }

    private ClassDescriptor classDescriptor(UniqueId parent, Class<?> type) {
        return new ClassDescriptor(parent.append(ClassDescriptor.SEGMENT, type.getName()), type, config);
    }

    /**
     * Whether {@code type} is a trial test class: a concrete class with test methods. The first
     * time, reports what is wrong with it; such a class is still resolved, and each of its tests
     * fails with the reason, so that one bad declaration does not stop the rest of the run.
     */
    private boolean runnable(Class<?> type) {
        Boolean known = runnable.get(type);
        if (known == null) {
            try {
                known = Declarations.canHoldTests(type) && !testMethods(type).isEmpty();
                if (known) {
                    classProblems.put(type, checkClass(type));
                }
            } catch (LinkageError e) {
                known = false; // a class whose methods cannot be loaded is not ours to report
            }
            runnable.put(type, known);
        }
        return known;
    }

    /**
     * Reports (as warnings) what is wrong with the class, its labeler, its lifecycle methods and
     * its tests; returns what keeps all of the class's tests from running, if anything.
     */
    private Optional<String> checkClass(Class<?> type) {
        Optional<String> problem = Declarations.classProblem(type);
        if (problem.isPresent()) {
            warn(problem.get(), ClassSource.from(type));
            return problem;
        }
        List<String> problems = new ArrayList<>();
        LabelTestsWith labels = type.getAnnotation(LabelTestsWith.class);
        if (labels != null) {
            try {
                labelers.put(type, labels.value().getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                String message = "@LabelTestsWith(" + labels.value().getName() + ".class) on " + type.getName()
                        + ": the labeler cannot be created with a public no-argument constructor (" + e + ")";
                warn(message, ClassSource.from(type));
                problems.add(message);
            }
        }
        for (Class<? extends Annotation> kind : List.of(SetUp.class, TearDown.class)) {
            for (Method method : Declarations.methods(type, kind)) {
                Optional<String> methodProblem = Declarations.methodProblem(method, kind);
                if (methodProblem.isPresent()) {
                    warn(methodProblem.get(), MethodSource.from(type, method));
                    problems.add(methodProblem.get());
                }
            }
        }
        for (Method method : testMethods(type)) {
            testMethodProblem(method).ifPresent(p -> warn(p, MethodSource.from(type, method)));
            Declarations.invalidTags(method).forEach(tag -> warn(invalidTag(tag, type.getName() + "." + method.getName()),
                    MethodSource.from(type, method)));
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Class<?> declaring = c;
            Declarations.invalidTags(c).forEach(tag -> warn(invalidTag(tag, declaring.getName()), ClassSource.from(declaring)));
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** What keeps {@code method} of {@code type} from running: its class's problem, else its own. */
    private Optional<String> problem(Class<?> type, Method method) {
        Optional<String> classProblem = classProblems.getOrDefault(type, Optional.empty());
        return classProblem.isPresent() ? classProblem : testMethodProblem(method);
    }

    private Optional<String> testMethodProblem(Method method) {
        return testMethodProblems.computeIfAbsent(method, m -> Declarations.methodProblem(m, TrialTest.class));
    }

    private List<Method> testMethods(Class<?> type) {
        return testMethods.computeIfAbsent(type, Declarations::testMethods);
    }

    private static String invalidTag(String tag, String where) {
        return "invalid tag '" + tag + "' on " + where + " is ignored: a tag must not be blank or contain whitespace, "
                + "ISO control characters or any of , ( ) & | !";
    }

    private void warn(String message, TestSource source) {
        issues.reportIssue(DiscoveryIssue.builder(DiscoveryIssue.Severity.WARNING, message).source(source));
    }


    static Optional<Class<?>> load(String className) {
        return ReflectionSupport.tryToLoadClass(className).toOptional();
    }
}
