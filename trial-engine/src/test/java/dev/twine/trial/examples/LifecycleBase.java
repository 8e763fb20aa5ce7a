package dev.twine.trial.examples;

import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;

/** The superclass of {@link Lifecycle}. */
public abstract class LifecycleBase {
    @SetUp
    void baseSetUp() {
        Lifecycle.EVENTS.add("base setUp");
    }

    @TearDown
    void baseTearDown() {
        Lifecycle.EVENTS.add("base tearDown");
    }
}
