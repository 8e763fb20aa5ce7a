package dev.twine.trial.engine.descriptor;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.Skip;
import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.engine.execution.ClassRun;
import dev.twine.trial.engine.execution.TrialExecutionContext;
import java.util.Set;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.hierarchical.Node;

/** Internal. A trial test class: its tests share one reactor, started before them and stopped after. */
@API(status = INTERNAL, since = "0.1")
public final class ClassDescriptor extends AbstractTestDescriptor implements Node<TrialExecutionContext> {
    /** The unique id segment type of a class. */
    public static final String SEGMENT = "class";

    private final Class<?> testClass;
    private final boolean concurrent;
    private final Set<TestTag> tags;
    private volatile long started;

    public ClassDescriptor(UniqueId uniqueId, Class<?> testClass, TrialConfiguration config) {
        super(uniqueId, testClass.getSimpleName(), ClassSource.from(testClass));
        this.testClass = testClass;
        this.concurrent = config.parallel() > 1;
        this.tags = Set.copyOf(Tags.of(testClass));
    }

    public Class<?> testClass() {
        return testClass;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public String getLegacyReportingName() {
        return testClass.getName();
    }

    @Override
    public Set<TestTag> getTags() {
        return tags;
    }

    @Override
    public SkipResult shouldBeSkipped(TrialExecutionContext context) {
        Skip skip = testClass.getAnnotation(Skip.class);
        return skip == null ? SkipResult.doNotSkip() : SkipResult.skip(skip.value());
    }

    @Override
    public TrialExecutionContext before(TrialExecutionContext context) throws Exception {
        started = System.nanoTime();
        return context.withClassRun(ClassRun.start(testClass, context.provider(), context.config(), context.outputCapture()));
    }

    @Override
    public void after(TrialExecutionContext context) throws Exception {
        if (context.classRun() != null) {
            context.classRun().stop();
        }
        if (getParent().orElse(null) instanceof TrialEngineDescriptor root) {
            root.classTook(testClass, (System.nanoTime() - started) / 1e9);
        }
    }

    @Override
    public ExecutionMode getExecutionMode() {
        return concurrent ? ExecutionMode.CONCURRENT : ExecutionMode.SAME_THREAD;
    }
}
