package dev.twine.trial.examples;

import dev.twine.trial.TearDown;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: the test fails, then its tear-down fails too. */
public class TearDownFailsToo {
    @TrialTest
    void fails() {
        throw new AssertionError("the test's own failure");
    }

    @TearDown
    void tearDown() {
        throw new IllegalStateException("the tear-down's failure");
    }
}
