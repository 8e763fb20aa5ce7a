package dev.twine.trial.examples;

import dev.twine.trial.TrialTest;
import org.junit.jupiter.api.Test;

/** Run by the engine's tests: one Jupiter test and one trial test in one class. */
public class Mixed {
    @Test
    void jupiterTest() {
    }

    @TrialTest
    void trialTest() {
    }
}
