package dev.twine.trial.examples;

import dev.twine.trial.Skip;
import dev.twine.trial.SkipTest;
import dev.twine.trial.Todo;
import dev.twine.trial.TrialTest;
import java.io.IOException;

/** Run by the engine's tests. */
public class SkipsAndTodos {
    @TrialTest
    @Skip("not on this platform")
    void skipped() {
        throw new AssertionError("never runs");
    }

    @TrialTest
    void skipsItself() {
        throw new SkipTest("the fixture is not available");
    }

    @TrialTest
    @Todo("the parser does not handle this yet")
    void expectedToFail() {
        throw new AssertionError("still broken");
    }

    @TrialTest
    @Todo("was broken, is fixed now")
    void passesUnexpectedly() {
    }

    @TrialTest
    @Todo(value = "fails with an IOException", expecting = IOException.class)
    void failsTheWrongWay() {
        throw new IllegalStateException("not the expected failure");
    }
}
