package dev.twine.trial.examples.reporter;

import dev.twine.trial.TrialTest;
import java.util.concurrent.atomic.AtomicInteger;

/** Run by the command's tests with --until-failure: passes twice, then fails. */
public class FailsOnTheThirdPass {
    public static final AtomicInteger RUNS = new AtomicInteger();

    @TrialTest
    void flaky() {
        if (RUNS.incrementAndGet() == 3) {
            throw new AssertionError("failed on run 3");
        }
    }
}
