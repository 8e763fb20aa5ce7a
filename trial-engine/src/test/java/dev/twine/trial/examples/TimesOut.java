package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.trial.Timeout;
import dev.twine.trial.TrialTest;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
public class TimesOut {
    public static volatile boolean cancelled;

    @TrialTest
    @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
    Deferred<Void> neverFires() {
        return new Deferred<>(self -> cancelled = true);
    }

    @TrialTest
    void nextTestRunsCleanly() {
    }
}
