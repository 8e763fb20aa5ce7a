package dev.twine.conformance;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.ConformanceReportListener;
import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.TrialKeys;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the suite in this JVM through the JUnit Platform launcher, as {@code ./twine conformance}
 * does, and returns the report. For programs; builds use {@link ReactorConformance}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ConformanceRunner {
    private ConformanceRunner() {
    }

    /**
     * What to run.
     *
     * @param provider the provider under test: a name or class name
     * @param harness the provider the trial engine runs the rules on (its reactors only sequence the rules), or null for {@code provider}
     * @param rules the ids to run (a regular expression), or null for all
     * @param ruleLimit how long a rule may run its reactor, or null for the default
     * @param reportDirectory where the JSON and HTML reports go
     * @param out where progress and the report are printed
     * @param progress whether to print a line per rule
     * @param shard the share of the rules classes to run, {@code i/n} ({@link TrialKeys#SHARD}), or null for all
     * @param shardTimings the class timings that balance the shards ({@link TrialKeys#SHARD_TIMINGS}), or null
     * @param recordTimings where to record each rules class's time ({@link TrialKeys#SHARD_RECORD}), or null
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Settings(String provider, String harness, Pattern rules, Duration ruleLimit, Path reportDirectory,
            PrintStream out, boolean progress, String shard, Path shardTimings, Path recordTimings) {

        /** Settings for the whole suite. */
        public Settings(String provider, String harness, Pattern rules, Duration ruleLimit, Path reportDirectory,
                PrintStream out, boolean progress) {
            this(provider, harness, rules, ruleLimit, reportDirectory, out, progress, null, null, null);
        }
    }

    /**
     * Runs the rules and returns the report, or null when no rule ran.
     *
     * @throws dev.twine.reactor.ReactorProviderException if a provider cannot be found
     */
    public static ConformanceReport run(Settings settings) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ReactorProvider underTest = ReactorProvider.select(settings.provider(), loader);
        String harness = settings.harness() != null ? settings.harness() : underTest.getClass().getName();
        ReactorProvider.select(harness, loader);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Catalogue.RULE_CLASSES.stream().map(c -> (DiscoverySelector) selectClass(c)).toList())
                .filters(EngineFilter.includeEngines(TrialKeys.ENGINE_ID))
                .configurationParameter(ConformanceKeys.PROVIDER, underTest.getClass().getName())
                .configurationParameter(TrialKeys.REACTOR_PROVIDER, harness);
        if (settings.ruleLimit() != null) {
            request.configurationParameter(ConformanceKeys.RULE_LIMIT,
                    BigDecimal.valueOf(settings.ruleLimit().toNanos(), 9).stripTrailingZeros().toPlainString());
        }
        if (settings.rules() != null) {
            request.filters(byRuleId(settings.rules()));
        }
        if (settings.shard() != null) {
            request.configurationParameter(TrialKeys.SHARD, settings.shard());
        }
        if (settings.shardTimings() != null) {
            request.configurationParameter(TrialKeys.SHARD_TIMINGS, settings.shardTimings().toString());
        }
        if (settings.recordTimings() != null) {
            request.configurationParameter(TrialKeys.SHARD_RECORD, settings.recordTimings().toString());
        }
        ConformanceReportListener report = new ConformanceReportListener(settings.out(), settings.reportDirectory(),
                settings.progress());
        report.addNotes(undeclared(underTest));
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                .build());
        launcher.execute(request.build(), report);
        return report.lastReport();
    }

    private static PostDiscoveryFilter byRuleId(Pattern pattern) {
        return descriptor -> {
            if (descriptor.getSource().orElse(null) instanceof MethodSource method) {
                boolean match = Catalogue.find(method.getClassName(), method.getMethodName())
                        .map(entry -> pattern.matcher(entry.id()).matches()).orElse(false);
                return match ? FilterResult.included("the rule matches") : FilterResult.excluded("the rule does not match " + pattern);
            }
            return FilterResult.included("not a rule");
        };
    }

    /**
     * Capability honesty: for each optional capability whose interface the provider's reactor
     * implements but the provider does not declare, a note saying its rules were not run. IPv6,
     * which has no interface of its own, cannot be told this way. A provider whose createReactor()
     * fails gets no note (its rules will say so).
     */
    public static List<String> undeclared(ReactorProvider provider) {
        dev.twine.reactor.Reactor reactor;
        try {
            reactor = provider.createReactor();
        } catch (RuntimeException | Error e) {
            return List.of();
        }
        if (reactor == null) {
            return List.of();
        }
        try {
            List<String> notes = new java.util.ArrayList<>();
            for (dev.twine.reactor.Capability capability : dev.twine.reactor.Capability.values()) {
                if (!capability.isRequired() && capability.contract() != dev.twine.reactor.ReactorTCP.class
                        && capability.contract().isInstance(reactor) && !provider.capabilities().contains(capability)) {
                    notes.add("implements " + capability.contract().getSimpleName() + " but does not declare " + capability
                            + ": its " + capability + " was not checked");
                }
            }
            return notes;
        } finally {
            // Released on a thread of its own: a reactor whose run() hangs must not hold up the suite.
            Thread release = new Thread(() -> {
                try {
                    reactor.callWhenRunning(reactor::stop);
                    reactor.run();
                } catch (RuntimeException | Error e) {
                    // it could not run: nothing more to release
                }
            }, "twine-conformance-release");
            release.setDaemon(true);
            release.start();
        }
    }

    /** The names of the registered providers, for messages. */
    static List<String> registered(ClassLoader loader) {
        return ReactorProvider.available(loader).stream().map(ReactorProvider::name).toList();
    }
}
