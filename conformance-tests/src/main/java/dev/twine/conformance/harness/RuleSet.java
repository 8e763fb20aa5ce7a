package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.conformance.ConformanceKeys;
import dev.twine.conformance.ConformanceRunner;
import dev.twine.conformance.Rule;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.LabelTestsWith;
import dev.twine.trial.SetUp;
import dev.twine.trial.SkipTest;
import dev.twine.trial.Timeout;
import dev.twine.trial.TrialContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The base of every rules class. Before each rule it checks the capability: a rule of an optional
 * capability the provider does not declare is skipped ("capability not declared"); a required one
 * it does not declare fails, and a skipped one whose interface the reactor implements anyway
 * publishes a note for the report. It also publishes which provider is under test. Its
 * tests are named {@code <id> <sentence>} and their failures start with the id ({@link RuleLabels}).
 */
@API(status = INTERNAL, since = "0.1")
@Timeout(60)
@LabelTestsWith(RuleLabels.class)
public abstract class RuleSet {

    /** Per provider class: the optional interfaces its reactor implements without declaring them (made once). */
    private static final Map<Class<?>, List<String>> UNDECLARED = new ConcurrentHashMap<>();

    /** Checks the rule's capability against what the provider under test declares. */
    @SetUp
    public void checkCapability(TrialContext test) {
        ReactorProvider provider = Conformance.provider(test);
        test.publishEntry(ConformanceKeys.REACTOR_ENTRY, provider.name() + " (" + provider.getClass().getName() + "): "
                + provider.capabilities().stream().sorted().map(Capability::name).collect(Collectors.joining(" ")));
        Rule rule = test.testMethod().getAnnotation(Rule.class);
        if (rule == null) {
            throw new IllegalStateException(test.testName() + " is in a rules class but has no @Rule");
        }
        String notApplicable = NotApplicable.reason(test, rule);
        if (notApplicable != null) {
            throw new SkipTest(NotApplicable.REASON_PREFIX + notApplicable);
        }
        if (!provider.capabilities().contains(rule.capability())) {
            if (rule.capability().isRequired()) {
                throw new AssertionError("the " + provider.name() + " provider does not declare " + rule.capability()
                        + ", which every reactor must have");
            }
            String undeclared = "does not declare " + rule.capability() + ":";
            UNDECLARED.computeIfAbsent(provider.getClass(), c -> ConformanceRunner.undeclared(provider)).stream()
                    .filter(note -> note.contains(undeclared)).findFirst()
                    .ifPresent(note -> test.publishEntry(ConformanceKeys.NOTE_ENTRY, note));
            throw new SkipTest("capability not declared: " + rule.capability());
        }
    }
}
