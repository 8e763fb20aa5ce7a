package dev.twine.trial.engine.descriptor;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.TestLabeler;
import dev.twine.trial.engine.execution.TrialExecutionContext;
import java.lang.reflect.Method;
import org.apiguardian.api.API;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * Internal. One pass of a test repeated until it fails ({@code twine.trial.untilFailure}), or the
 * run of one seed of a test that takes a seeded parameter.
 */
@API(status = INTERNAL, since = "0.1")
public final class PassDescriptor extends AbstractTestDescriptor implements Node<TrialExecutionContext> {
    /** The unique id segment type of a pass. */
    public static final String SEGMENT = "pass";
    /** The unique id segment type of a seed's run; selecting its id runs that seed only. */
    public static final String SEED_SEGMENT = "seed";

    private final Class<?> testClass;
    private final Method method;
    private final TestLabeler labeler;
    private final Long seed;

    PassDescriptor(UniqueId uniqueId, int pass, int of, Class<?> testClass, Method method, TestLabeler labeler) {
        this(uniqueId, "pass " + pass + " of at most " + of, testClass, method, labeler, null);
    }

    private PassDescriptor(UniqueId uniqueId, String name, Class<?> testClass, Method method, TestLabeler labeler, Long seed) {
        super(uniqueId, name, MethodSource.from(testClass, method));
        this.testClass = testClass;
        this.method = method;
        this.labeler = labeler;
        this.seed = seed;
    }

    /** The run of {@code seed}, the {@code pass}th of at most {@code of}, under the test {@code parent}. */
    static PassDescriptor seeded(UniqueId parent, long seed, int pass, int of, Class<?> testClass, Method method,
            TestLabeler labeler) {
        return new PassDescriptor(parent.append(SEED_SEGMENT, String.valueOf(seed)),
                "seed " + seed + (of > 1 ? " (" + pass + " of at most " + of + ")" : ""), testClass, method, labeler, seed);
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
        return Type.TEST;
    }

    @Override
    public TrialExecutionContext execute(TrialExecutionContext context, DynamicTestExecutor dynamic) throws Exception {
        MethodDescriptor.runOnce(context, this, testClass, method, labeler, seed);
        return context;
    }
}
