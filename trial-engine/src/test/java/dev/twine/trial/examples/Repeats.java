package dev.twine.trial.examples;

import dev.twine.trial.TrialTest;
import java.util.concurrent.atomic.AtomicInteger;

/** Run by the engine's tests with twine.trial.untilFailure. */
public class Repeats {
    public static final AtomicInteger RUNS = new AtomicInteger();

    @TrialTest
    void failsOnTheThirdRun() {
        if (RUNS.incrementAndGet() == 3) {
            throw new AssertionError("flaky at last");
        }
    }
}
