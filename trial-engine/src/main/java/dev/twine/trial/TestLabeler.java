package dev.twine.trial;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.reflect.Method;
import org.apiguardian.api.API;

/**
 * Labels the tests of a class in what every runner shows: the display name (the IDE's test tree,
 * Surefire's XML, the Console Launcher) and the message of a failure. Named on a class with
 * {@link LabelTestsWith}; a suite whose tests carry ids of their own (the conformance rules'
 * {@code TCP-31}) uses it so that the id appears wherever the test does.
 *
 * <p>Implementations need a public no-argument constructor; the engine creates one per class at
 * discovery and calls it on the engine's threads.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface TestLabeler {
    /** The display name of {@code method}, or null to keep the method's name. */
    String displayName(Class<?> testClass, Method method);

    /**
     * What to report instead of {@code failure} when the test fails (not when it is skipped or
     * aborted). The default reports the failure as it is. A labeler that rewrites the message should
     * keep the kind (an {@link AssertionError} stays one) and keep the original as the cause.
     */
    default Throwable failure(Class<?> testClass, Method method, Throwable failure) {
        return failure;
    }

    /**
     * Tags {@code method} carries besides its {@link Tag}s, so that a runner can select by them
     * ({@code --include-tag}, Surefire's {@code groups}) and reports list them (the Open Test
     * Reporting XML, the IDE). The default adds none. A tag the platform cannot use (blank, with
     * whitespace or one of {@code , ( ) & | !}) is left out.
     */
    default java.util.Set<String> tags(Class<?> testClass, Method method) {
        return java.util.Set.of();
    }
}
