package dev.twine.trial.examples.reporter;

import dev.twine.trial.TrialTest;

/** Run by the reporter's tests: a class whose tests pass. */
public class AllPass {
    @TrialTest
    void first() {
    }

    @TrialTest
    void second() {
    }
}
