package dev.twine.trial.examples;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: what the context tells a test about its run. */
public class ReadsItsContext {
    public static volatile String seen;

    @TrialTest
    void readsProviderAndParameter(TrialContext test, Reactor reactor) {
        test.publishEntry("example.entry", "published");
        seen = test.testName() + " " + test.testMethod().getName() + " " + test.reactorProvider().name() + " "
                + test.reactorProvider().capabilities().contains(Capability.TCP) + " "
                + test.configurationParameter("example.setting").orElse("unset") + " "
                + test.configurationParameter("example.missing").orElse("unset");
    }
}
