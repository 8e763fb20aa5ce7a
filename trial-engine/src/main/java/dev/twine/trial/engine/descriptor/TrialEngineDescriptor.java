package dev.twine.trial.engine.descriptor;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.TrialKeys;
import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.engine.execution.OutputCapture;
import dev.twine.trial.engine.execution.TrialExecutionContext;
import org.apiguardian.api.API;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** Internal. The root of a run's tree; carries the configuration read at discovery. */
@API(status = INTERNAL, since = "0.1")
public final class TrialEngineDescriptor extends EngineDescriptor implements Node<TrialExecutionContext> {
    private final TrialConfiguration config;

    public TrialEngineDescriptor(UniqueId uniqueId, TrialConfiguration config) {
        super(uniqueId, "Twine trial");
        this.config = config;
    }

    public TrialConfiguration config() {
        return config;
    }

    /** Prints the seed of a shuffled run (as trial does) and publishes it, so the order can be repeated. */
    @Override
    public TrialExecutionContext before(TrialExecutionContext context) {
        Long seed = config.randomSeed();
        if (seed != null) {
            System.out.println("Running tests shuffled with seed " + seed + " (repeat with -D" + TrialKeys.RANDOM + "=" + seed + ")");
            context.listener().reportingEntryPublished(this, ReportEntry.from(TrialKeys.RANDOM, String.valueOf(seed)));
        }
        return context.withOutputCapture(OutputCapture.install(config));
    }

    /** Puts System.out and System.err back, if the run captured them. */
    @Override
    public void after(TrialExecutionContext context) {
        if (context.outputCapture() != null) {
            context.outputCapture().close();
        }
    }
}
