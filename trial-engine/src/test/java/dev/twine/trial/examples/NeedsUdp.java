package dev.twine.trial.examples;

import dev.twine.reactor.ReactorUDP;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: a test that needs an optional capability. */
public class NeedsUdp {
    public static volatile String ran;

    @TrialTest
    void usesUdp(ReactorUDP reactor, TrialContext context) {
        ran = context.testName() + " with " + reactor.getClass().getSimpleName();
    }
}
