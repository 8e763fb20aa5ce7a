package dev.twine.trial.engine.discovery;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorCore;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReactorTCP;
import dev.twine.reactor.ReactorTLS;
import dev.twine.reactor.ReactorThreads;
import dev.twine.reactor.ReactorTime;
import dev.twine.reactor.ReactorUDP;
import dev.twine.reactor.ReactorUnix;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.Timeout;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import dev.twine.trial.engine.config.SeededRuns;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Internal. What makes a class a trial test class and a method a runnable test, set-up or
 * tear-down, and what is wrong with one that is not.
 */
@API(status = INTERNAL, since = "0.1")
public final class Declarations {
    /** The parameter types the engine supplies: the reactor's contracts and the test context. */
    public static final Set<Class<?>> SUPPLIED_PARAMETERS = Set.of(TrialContext.class, Reactor.class, ReactorCore.class,
            ReactorTime.class, ReactorThreads.class, ReactorTCP.class, ReactorUDP.class, ReactorUnix.class, ReactorTLS.class,
            ReactorDescriptors.class);

    private Declarations() {
    }

    /** A class to look at: not abstract, not an interface, not anonymous, with a @TrialTest method. */
    public static boolean isCandidate(Class<?> type) {
        try {
            return canHoldTests(type) && !methods(type, TrialTest.class).isEmpty();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Whether {@code type} is a kind of class that can hold tests: concrete, not anonymous, local or synthetic. */
    public static boolean canHoldTests(Class<?> type) {
        return !(type.isInterface() || type.isAnnotation() || type.isEnum() || type.isAnonymousClass() || type.isLocalClass()
                || Modifier.isAbstract(type.getModifiers()) || type.isSynthetic());
    }

    /**
     * The methods of {@code type} (and its superclasses) with {@code annotation}: superclass ones
     * first, and within one class by name, so that several set-ups run in the same order every run
     * (the JVM's own method order is unspecified).
     */
    public static List<Method> methods(Class<?> type, Class<? extends Annotation> annotation) {
        List<Method> found = new ArrayList<>();
        for (Method method : HIERARCHY_METHODS.get(type)) {
            if (method.isAnnotationPresent(annotation)) {
                found.add(method);
            }
        }
        found.sort(Comparator.comparingInt((Method m) -> depth(m.getDeclaringClass())).thenComparing(Method::getName)
                .thenComparing(Method::toString));
        return found;
    }

    /**
     * The methods of each class and its superclasses (not those overridden), looked up once per
     * class: discovery and each class's run ask for its tests, set-ups and tear-downs, and each
     * lookup copied every method of the class (thousands, for a class of thousands of tests).
     */
    private static final ClassValue<List<Method>> HIERARCHY_METHODS = new ClassValue<>() {
        @Override
        protected List<Method> computeValue(Class<?> type) {
            return List.copyOf(ReflectionSupport.findMethods(type, method -> true, HierarchyTraversalMode.TOP_DOWN));
        }
    };

    private static int depth(Class<?> type) {
        int depth = 0;
        for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    /** The tags written on {@code element} itself that the platform cannot use (blank, or with reserved characters). */
    public static List<String> invalidTags(java.lang.reflect.AnnotatedElement element) {
        List<String> invalid = new ArrayList<>();
        for (dev.twine.trial.Tag tag : element.getDeclaredAnnotationsByType(dev.twine.trial.Tag.class)) {
            if (!org.junit.platform.engine.TestTag.isValid(tag.value())) {
                invalid.add(tag.value());
            }
        }
        return invalid;
    }

    /** The @TrialTest methods of {@code type}, by name. */
    public static List<Method> testMethods(Class<?> type) {
        List<Method> tests = new ArrayList<>(methods(type, TrialTest.class));
        tests.sort(Comparator.comparing(Method::getName).thenComparing(Method::toString));
        return tests;
    }

    /** What keeps {@code type} from being a test class, if anything. */
    public static Optional<String> classProblem(Class<?> type) {
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            return Optional.of("trial test class " + type.getName() + " is an inner class; make it static");
        }
        if (Modifier.isPrivate(type.getModifiers())) {
            return Optional.of("trial test class " + type.getName() + " must not be private");
        }
        try {
            type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            return Optional.of("trial test class " + type.getName() + " needs a no-argument constructor");
        }
        return timeoutProblem(type.getAnnotation(Timeout.class), "trial test class " + type.getName());
    }

    /** A timeout of zero or less would time every phase out at once: it is a mistake, not a setting. */
    private static Optional<String> timeoutProblem(Timeout timeout, String where) {
        if (timeout != null && timeout.value() <= 0) {
            return Optional.of("@Timeout(" + timeout.value() + ") on " + where + " must be positive");
        }
        return Optional.empty();
    }

    /** What keeps {@code method} (annotated with {@code kind}) from running, if anything. */
    public static Optional<String> methodProblem(Method method, Class<? extends Annotation> kind) {
        if (Modifier.isPrivate(method.getModifiers())) {
            return Optional.of(describe(method, kind) + " must not be private");
        }
        if (Modifier.isStatic(method.getModifiers())) {
            return Optional.of(describe(method, kind) + " must not be static");
        }
        Class<?> returns = method.getReturnType();
        if (returns != void.class && !Deferred.class.isAssignableFrom(returns) && !CompletionStage.class.isAssignableFrom(returns)) {
            return Optional.of(describe(method, kind) + " must return void, a Deferred or a CompletionStage, not " + returns.getName());
        }
        int seeded = 0;
        for (Class<?> parameter : method.getParameterTypes()) {
            if (SeededRuns.supplies(parameter)) {
                if (kind != TrialTest.class) {
                    return Optional.of(describe(method, kind) + " has a parameter of type " + parameter.getName()
                            + ", which only a @TrialTest method may take (each of its seeds gets a fresh one)");
                }
                if (++seeded > 1) {
                    return Optional.of(describe(method, kind) + " takes two seeded parameters; one decides every run");
                }
                continue;
            }
            if (!SUPPLIED_PARAMETERS.contains(parameter)) {
                return Optional.of(describe(method, kind) + " has a parameter of type " + parameter.getName()
                        + " the engine cannot supply; parameters may be a Reactor (or one of its capability interfaces, "
                        + "such as ReactorUDP), a TrialContext, or a seeded parameter such as reactor-sim's Simulation");
            }
        }
        Timeout timeout = method.getAnnotation(Timeout.class);
        // The description only when there is a problem: building it for each of thousands of tests was
        // a good part of discovering them in a cold JVM.
        return timeout == null ? Optional.empty() : timeoutProblem(timeout, describe(method, kind));
    }

    private static String describe(Method method, Class<? extends Annotation> kind) {
        return "@" + kind.getSimpleName() + " method " + method.getDeclaringClass().getName() + "." + method.getName();
    }

    /** The set-up and tear-down annotations, checked like tests. */
    public static List<Class<? extends Annotation>> lifecycleAnnotations() {
        return List.of(SetUp.class, TearDown.class);
    }
}
