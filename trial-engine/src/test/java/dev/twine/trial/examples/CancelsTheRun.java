package dev.twine.trial.examples;

import dev.twine.trial.TrialTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.engine.CancellationToken;

/** Run by the engine's tests: the first test cancels the run, as ConsoleLauncher's --fail-fast does after a failure. */
public class CancelsTheRun {
    public static volatile CancellationToken token;
    public static final List<String> RAN = new CopyOnWriteArrayList<>();

    @TrialTest
    void aFailsAndCancels() {
        RAN.add("a");
        token.cancel();
        throw new AssertionError("first failure");
    }

    @TrialTest
    void bNeverRuns() {
        RAN.add("b");
    }

    @TrialTest
    void cNeverRuns() {
        RAN.add("c");
    }
}
