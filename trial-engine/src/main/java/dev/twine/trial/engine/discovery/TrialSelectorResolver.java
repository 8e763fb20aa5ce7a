package dev.twine.trial.engine.discovery;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.twine.trial.LabelTestsWith;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.TestLabeler;
import dev.twine.trial.TrialKeys;
import dev.twine.trial.TrialTest;
import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.engine.descriptor.ClassDescriptor;
import dev.twine.trial.engine.descriptor.MethodDescriptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Internal. Turns class, method and unique-id selectors into the tree (package, class-path root and
 * module selectors arrive as class selectors). A declaration the engine cannot run becomes an error
 * with its source, never a silent skip.
 */
public final class TrialSelectorResolver implements SelectorResolver {
    private final Predicate<String> classNameFilter;
    private final DiscoveryIssueReporter issues;
    private final TrialConfiguration config;
    /** Whether each class looked at can run; a class is checked (and its problems reported) once, not once per method. */
    private final Map<Class<?>, Boolean> runnable = new HashMap<>();
    private final Map<Class<?>, List<Method>> testMethods = new HashMap<>();
    private final Map<Method, Optional<String>> testMethodProblems = new HashMap<>();
    /** The labeler of each runnable class that names one ({@link LabelTestsWith}). */
    private final Map<Class<?>, TestLabeler> labelers = new HashMap<>();

    public TrialSelectorResolver(Predicate<String> classNameFilter, DiscoveryIssueReporter issues, TrialConfiguration config) {
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
        if (!classNameFilter.test(type.getName()) || !runnable(type)) {
            return Resolution.unresolved();
        }
        return context.addToParent(parent -> Optional.of(classDescriptor(parent.getUniqueId(), type)))
                .map(descriptor -> Resolution.match(Match.exact(descriptor, () -> testSelectors(type))))
                .orElse(Resolution.unresolved());
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
        Optional<String> problem = testMethodProblem(method);
        if (problem.isPresent()) {
            report(problem.get(), MethodSource.from(type, method));
            return Resolution.unresolved();
        }
        return context.<MethodDescriptor>addToParent(() -> selectClass(type), parent -> Optional.of(
                        new MethodDescriptor(parent.getUniqueId().append(MethodDescriptor.SEGMENT, MethodDescriptor.segmentValue(method)),
                                type, method, config.untilFailure(), parent.getTags(), labelers.get(type))))
                .map(descriptor -> Resolution.match(Match.exact(descriptor)))
                .orElse(Resolution.unresolved());
    }

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
        List<UniqueId.Segment> segments = selector.getUniqueId().getSegments();
        if (segments.size() < 2 || !segments.get(0).getValue().equals(TrialKeys.ENGINE_ID)
                || !segments.get(1).getType().equals(ClassDescriptor.SEGMENT)) {
            return Resolution.unresolved();
        }
        String className = segments.get(1).getValue();
        if (segments.size() == 2) {
            return Resolution.selectors(Set.of(selectClass(className)));
        }
        UniqueId.Segment methodSegment = segments.get(2);
        if (!methodSegment.getType().equals(MethodDescriptor.SEGMENT)) {
            return Resolution.unresolved();
        }
        String value = methodSegment.getValue();
        int open = value.indexOf('(');
        if (open < 0 || !value.endsWith(")")) {
            return Resolution.unresolved();
        }
        return Resolution.selectors(Set.of(selectMethod(className, value.substring(0, open), value.substring(open + 1, value.length() - 1))));
    }

    private ClassDescriptor classDescriptor(UniqueId parent, Class<?> type) {
        return new ClassDescriptor(parent.append(ClassDescriptor.SEGMENT, type.getName()), type, config);
    }

    /** Whether {@code type} is a trial test class that can run; the first time, reports what is wrong with it. */
    private boolean runnable(Class<?> type) {
        Boolean known = runnable.get(type);
        if (known == null) {
            try {
                known = Declarations.canHoldTests(type) && !testMethods(type).isEmpty() && checkClass(type);
            } catch (LinkageError e) {
                known = false; // a class whose methods cannot be loaded is not ours to report
            }
            runnable.put(type, known);
        }
        return known;
    }

    /** Reports what is wrong with the class and its lifecycle methods; returns whether the class can run. */
    private boolean checkClass(Class<?> type) {
        Optional<String> problem = Declarations.classProblem(type);
        if (problem.isPresent()) {
            report(problem.get(), ClassSource.from(type));
            return false;
        }
        boolean ok = true;
        LabelTestsWith labels = type.getAnnotation(LabelTestsWith.class);
        if (labels != null) {
            try {
                labelers.put(type, labels.value().getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                report("@LabelTestsWith(" + labels.value().getName() + ".class) on " + type.getName()
                        + ": the labeler cannot be created with a public no-argument constructor (" + e + ")",
                        ClassSource.from(type));
                ok = false;
            }
        }
        for (Class<? extends Annotation> kind : List.of(SetUp.class, TearDown.class)) {
            for (Method method : Declarations.methods(type, kind)) {
                Optional<String> methodProblem = Declarations.methodProblem(method, kind);
                if (methodProblem.isPresent()) {
                    report(methodProblem.get(), MethodSource.from(type, method));
                    ok = false;
                }
            }
        }
        for (Method method : testMethods(type)) {
            testMethodProblem(method).ifPresent(p -> report(p, MethodSource.from(type, method)));
            Declarations.invalidTags(method).forEach(tag -> warn(invalidTag(tag, type.getName() + "." + method.getName()),
                    MethodSource.from(type, method)));
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Class<?> declaring = c;
            Declarations.invalidTags(c).forEach(tag -> warn(invalidTag(tag, declaring.getName()), ClassSource.from(declaring)));
        }
        return ok;
    }

    private Set<DiscoverySelector> testSelectors(Class<?> type) {
        Set<DiscoverySelector> selectors = new LinkedHashSet<>();
        for (Method method : testMethods(type)) {
            if (testMethodProblem(method).isEmpty()) {
                selectors.add(selectMethod(type, method));
            }
        }
        return selectors;
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

    private void report(String message, TestSource source) {
        issues.reportIssue(DiscoveryIssue.builder(DiscoveryIssue.Severity.ERROR, message).source(source));
    }

    static Optional<Class<?>> load(String className) {
        return ReflectionSupport.tryToLoadClass(className).toOptional();
    }
}
