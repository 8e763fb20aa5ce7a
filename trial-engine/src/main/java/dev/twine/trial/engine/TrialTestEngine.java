package dev.twine.trial.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.TrialKeys;
import dev.twine.trial.engine.config.Shard;
import dev.twine.trial.engine.config.TrialConfiguration;
import dev.twine.trial.engine.descriptor.ClassDescriptor;
import dev.twine.trial.engine.descriptor.TrialEngineDescriptor;
import dev.twine.trial.engine.discovery.Declarations;
import dev.twine.trial.engine.discovery.TrialSelectorResolver;
import dev.twine.trial.engine.execution.TrialExecutionContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apiguardian.api.API;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestEngine;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestExecutorService;
import org.junit.platform.engine.support.hierarchical.ParallelExecutionConfiguration;
import org.junit.platform.engine.support.hierarchical.ParallelHierarchicalTestExecutorServiceFactory;

/**
 * The {@code twine-trial} JUnit Platform engine: discovers {@link dev.twine.trial.TrialTest}
 * methods, runs each test class on a reactor of its own, and reports each test with what trial
 * would report. How a test travels: {@code discovery} (selectors to the tree), {@code descriptor}
 * (the tree's nodes), {@code execution} (the class's reactor thread, each test's phases, the
 * janitor), configured by {@code config}.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrialTestEngine extends HierarchicalTestEngine<TrialExecutionContext> {

    @Override
    public String getId() {
        return TrialKeys.ENGINE_ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.twine");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("twine-trial-engine");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        TrialConfiguration config = TrialConfiguration.read(request.getConfigurationParameters());
        TrialEngineDescriptor root = new TrialEngineDescriptor(uniqueId, config);
        DiscoveryIssueReporter issues = DiscoveryIssueReporter.deduplicating(
                DiscoveryIssueReporter.forwarding(request.getDiscoveryListener(), uniqueId));
        for (String problem : config.problems()) {
            issues.reportIssue(DiscoveryIssue.create(DiscoveryIssue.Severity.ERROR, problem));
        }
        EngineDiscoveryRequestResolver.<TrialEngineDescriptor>builder()
                .addClassContainerSelectorResolver(Declarations::isCandidate)
                .addSelectorResolver(context -> new TrialSelectorResolver(context.getEngineDescriptor().getUniqueId(),
                        context.getClassNameFilter(), context.getIssueReporter(), config))
                .build()
                .resolve(request, root, issues);
        keepThisShard(root, config);
        order(root, config);
        return root;
    }

    /**
     * With {@link TrialKeys#SHARD}, keeps only the classes of this shard: every shard resolves the
     * same classes and deals them the same way ({@link Shard#assign}), so the shards together run
     * each class once.
     */
    private static void keepThisShard(TrialEngineDescriptor root, TrialConfiguration config) {
        Shard shard = config.shard();
        if (shard == null) {
            return;
        }
        List<ClassDescriptor> classes = root.getChildren().stream().filter(ClassDescriptor.class::isInstance)
                .map(ClassDescriptor.class::cast).toList();
        Map<String, Integer> assigned = Shard.assign(classes.stream().map(c -> c.testClass().getName()).toList(),
                config.shardTimings(), shard.count());
        for (ClassDescriptor c : classes) {
            if (assigned.get(c.testClass().getName()) != shard.index()) {
                root.removeChild(c);
            }
        }
        root.shardOf(classes.size());
    }

    /** Trial's order: alphabetical, or shuffled with the seed. */
    private static void order(TrialEngineDescriptor root, TrialConfiguration config) {
        Random random = config.randomSeed() == null ? null : new Random(config.randomSeed());
        Comparator<TestDescriptor> byName = Comparator.comparing(TestDescriptor::getLegacyReportingName)
                .thenComparing(d -> d.getUniqueId().toString());
        root.orderChildren(children -> arrange(children, byName, random));
        for (TestDescriptor child : root.getChildren()) {
            if (child instanceof ClassDescriptor classDescriptor) {
                classDescriptor.orderChildren(children -> arrange(children, byName, random));
            }
        }
    }

    private static List<TestDescriptor> arrange(List<TestDescriptor> children, Comparator<TestDescriptor> byName, Random random) {
        List<TestDescriptor> ordered = new ArrayList<>(children);
        ordered.sort(byName);
        if (random != null) {
            Collections.shuffle(ordered, random);
        }
        return ordered;
    }

    @Override
    protected HierarchicalTestExecutorService createExecutorService(ExecutionRequest request) {
        TrialConfiguration config = ((TrialEngineDescriptor) request.getRootTestDescriptor()).config();
        if (config.parallel() <= 1) {
            return super.createExecutorService(request);
        }
        return ParallelHierarchicalTestExecutorServiceFactory.create(
                ParallelHierarchicalTestExecutorServiceFactory.ParallelExecutorServiceType.WORKER_THREAD_POOL,
                new FixedParallelism(config.parallel()));
    }

    @Override
    protected TrialExecutionContext createExecutionContext(ExecutionRequest request) {
        TrialConfiguration config = ((TrialEngineDescriptor) request.getRootTestDescriptor()).config();
        return TrialExecutionContext.of(config, request.getEngineExecutionListener());
    }

    /** Exactly {@code n} classes at once. */
    private record FixedParallelism(int n) implements ParallelExecutionConfiguration {
        @Override
        public int getParallelism() {
            return n;
        }

        @Override
        public int getMinimumRunnable() {
            return n;
        }

        @Override
        public int getMaxPoolSize() {
            return n + 256;
        }

        @Override
        public int getCorePoolSize() {
            return n;
        }

        @Override
        public int getKeepAliveSeconds() {
            return 30;
        }
    }
}
