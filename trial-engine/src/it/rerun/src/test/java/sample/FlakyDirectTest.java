package sample;

import dev.twine.trial.TrialTest;
import java.util.concurrent.atomic.AtomicInteger;

/** Run by Surefire directly: fails the first time only. */
class FlakyDirectTest {
    static final AtomicInteger RUNS = new AtomicInteger();

    @TrialTest
    void failsTheFirstTime() {
        if (RUNS.incrementAndGet() == 1) {
            throw new AssertionError("first run of a flaky test");
        }
    }
}
