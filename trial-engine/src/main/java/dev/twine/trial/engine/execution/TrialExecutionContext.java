package dev.twine.trial.engine.execution;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.engine.config.TrialConfiguration;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.support.hierarchical.EngineExecutionContext;

/**
 * Internal. What the nodes of one run share: the configuration, the listener (for report entries),
 * the reactor provider, and at class level and below, the class's running reactor.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrialExecutionContext implements EngineExecutionContext {
    private final TrialConfiguration config;
    private final EngineExecutionListener listener;
    private final Supplier<ReactorProvider> provider;
    private final ClassRun classRun;
    private final OutputCapture outputCapture;

    private TrialExecutionContext(TrialConfiguration config, EngineExecutionListener listener, Supplier<ReactorProvider> provider,
            ClassRun classRun, OutputCapture outputCapture) {
        this.config = config;
        this.listener = listener;
        this.provider = provider;
        this.classRun = classRun;
        this.outputCapture = outputCapture;
    }

    /** The context of a run. The provider is looked up once, when the first class needs it. */
    public static TrialExecutionContext of(TrialConfiguration config, EngineExecutionListener listener) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Supplier<ReactorProvider> lookup = new Supplier<>() {
            private ReactorProvider found;
            private RuntimeException failure;

            @Override
            public synchronized ReactorProvider get() {
                if (found == null && failure == null) {
                    try {
                        found = ReactorProvider.select(config.provider(),
                                loader != null ? loader : TrialExecutionContext.class.getClassLoader());
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                return found;
            }
        };
        return new TrialExecutionContext(config, listener, lookup, null, null);
    }

    /** This context, at the level of a class whose reactor is running. */
    public TrialExecutionContext withClassRun(ClassRun run) {
        return new TrialExecutionContext(config, listener, provider, run, outputCapture);
    }

    /** This context, with the run's output capture (null: output is not captured). */
    public TrialExecutionContext withOutputCapture(OutputCapture capture) {
        return new TrialExecutionContext(config, listener, provider, classRun, capture);
    }

    /** The run's output capture, or null when output is not captured. */
    public OutputCapture outputCapture() {
        return outputCapture;
    }

    public TrialConfiguration config() {
        return config;
    }

    public EngineExecutionListener listener() {
        return listener;
    }

    public ReactorProvider provider() {
        return provider.get();
    }

    public ClassRun classRun() {
        return classRun;
    }
}
