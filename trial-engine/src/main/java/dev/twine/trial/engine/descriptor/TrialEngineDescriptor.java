package dev.twine.trial.engine.descriptor;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.engine.config.ClassTimings;
import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.engine.execution.OutputCapture;
import dev.twine.trial.engine.execution.TrialExecutionContext;
import dev.twine.trial.TrialKeys;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** Internal. The root of a run's tree; carries the configuration read at discovery. */
@API(status = INTERNAL, since = "0.1")
public final class TrialEngineDescriptor extends EngineDescriptor implements Node<TrialExecutionContext> {
    private final TrialConfiguration config;
    /** Seconds each class took, by class name, for {@link TrialKeys#SHARD_RECORD}. */
    private final Map<String, Double> classSeconds = new ConcurrentHashMap<>();
    private int classesBeforeSharding;

    public TrialEngineDescriptor(UniqueId uniqueId, TrialConfiguration config) {
        super(uniqueId, "Twine trial");
        this.config = config;
    }

    public TrialConfiguration config() {
        return config;
    }

    /** Notes that discovery kept this shard's classes out of {@code classes}, for the line the run prints. */
    public void shardOf(int classes) {
        classesBeforeSharding = classes;
    }

    /** Records how long a class took, for {@link TrialKeys#SHARD_RECORD}. */
    void classTook(Class<?> testClass, double seconds) {
        classSeconds.put(testClass.getName(), seconds);
    }

    /** Prints the seed of a shuffled run (as trial does) and publishes it, so the order can be repeated. */
    @Override
    public TrialExecutionContext before(TrialExecutionContext context) {
        Long seed = config.randomSeed();
        if (seed != null) {
            System.out.println("Running tests shuffled with seed " + seed + " (repeat with -D" + TrialKeys.RANDOM + "=" + seed + ")");
            context.listener().reportingEntryPublished(this, ReportEntry.from(TrialKeys.RANDOM, String.valueOf(seed)));
        }
        if (config.shard() != null) {
            String line = "Running shard " + config.shard() + ": " + getChildren().size() + " of " + classesBeforeSharding
                    + " test classes (" + (config.shardTimings().isEmpty() ? "dealt by name" : "balanced by recorded times") + ")";
            System.out.println(line);
            context.listener().reportingEntryPublished(this, ReportEntry.from(TrialKeys.SHARD, config.shard().toString()));
        }
        return context.withOutputCapture(OutputCapture.install(config));
    }

    /** Puts System.out and System.err back, if the run captured them; writes the class timings if asked. */
    @Override
    public void after(TrialExecutionContext context) throws IOException {
        if (context.outputCapture() != null) {
            context.outputCapture().close();
        }
        if (config.shardRecord() != null) {
            ClassTimings.write(config.shardRecord(), classSeconds);
        }
    }
}
