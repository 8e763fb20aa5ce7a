package dev.twine.trial.examples;

import dev.twine.trial.Tag;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests. */
@Tag("network")
public class Tagged {
    @TrialTest
    @Tag("slow")
    void slowOne() {
    }

    @TrialTest
    void quickOne() {
    }
}
