package dev.twine.trial.engine.descriptor;

import dev.twine.trial.engine.execution.TrialExecutionContext;
import java.lang.reflect.Method;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.hierarchical.Node;

/** Internal. One pass of a test repeated until it fails ({@code twine.trial.untilFailure}). */
public final class PassDescriptor extends AbstractTestDescriptor implements Node<TrialExecutionContext> {
    /** The unique id segment type of a pass. */
    public static final String SEGMENT = "pass";

    private final Method method;

    PassDescriptor(UniqueId uniqueId, int pass, int of, Class<?> testClass, Method method) {
        super(uniqueId, "pass " + pass + " of at most " + of, MethodSource.from(testClass, method));
        this.method = method;
    }

    Method method() {
        return method;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public TrialExecutionContext execute(TrialExecutionContext context, DynamicTestExecutor dynamic) throws Exception {
        MethodDescriptor.runOnce(context, this);
        return context;
    }
}
