package sample;

import dev.twine.trial.TrialTest;
import java.util.concurrent.atomic.AtomicInteger;

/** Run only through AllTrialTests (its name is not one Surefire picks up): fails the first time only. */
public class FlakyInSuite {
    static final AtomicInteger RUNS = new AtomicInteger();

    @TrialTest
    void failsTheFirstTime() {
        if (RUNS.incrementAndGet() == 1) {
            throw new AssertionError("first run of a flaky test inside a suite");
        }
    }
}
