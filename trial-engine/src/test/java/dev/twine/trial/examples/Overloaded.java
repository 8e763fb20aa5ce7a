package dev.twine.trial.examples;

import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: overloaded tests, told apart by their parameters. */
public class Overloaded {
    @TrialTest
    void check() {
    }

    @TrialTest
    void check(Reactor reactor) {
    }

    @TrialTest
    void check(Reactor reactor, TrialContext test) {
    }

    @TrialTest
    void unique() {
    }
}
