package dev.twine.conformance.harness;

import dev.twine.conformance.ConformanceKeys;
import dev.twine.conformance.Rule;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ReactorProvider;
import dev.twine.trial.LabelTestsWith;
import dev.twine.trial.SetUp;
import dev.twine.trial.SkipTest;
import dev.twine.trial.Timeout;
import dev.twine.trial.TrialContext;
import java.util.stream.Collectors;

/**
 * The base of every rules class. Before each rule it checks the capability: a rule of an optional
 * capability the provider does not declare is skipped ("capability not declared"); a required one
 * it does not declare fails. It also publishes which provider is under test, for the report. Its
 * tests are named {@code <id> <sentence>} and their failures start with the id ({@link RuleLabels}).
 */
@Timeout(60)
@LabelTestsWith(RuleLabels.class)
public abstract class RuleSet {

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
        if (!provider.capabilities().contains(rule.capability())) {
            if (rule.capability().isRequired()) {
                throw new AssertionError("the " + provider.name() + " provider does not declare " + rule.capability()
                        + ", which every reactor must have");
            }
            throw new SkipTest("capability not declared: " + rule.capability());
        }
    }
}
