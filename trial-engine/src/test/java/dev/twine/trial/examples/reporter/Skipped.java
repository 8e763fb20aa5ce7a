package dev.twine.trial.examples.reporter;

import dev.twine.trial.Skip;
import dev.twine.trial.TrialTest;

/** Run by the reporter's tests: a skipped class, each of whose tests trial reports skipped. */
@Skip("the server is down")
public class Skipped {
    @TrialTest
    void one() {
    }

    @TrialTest
    void two() {
    }
}
