package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;

/** Run by the engine's tests: a test whose Deferred is fired by another thread, as an HTTP client's callback would. */
public class FiresOnAnotherThread {
    public static volatile String cleanupThread;

    @TrialTest
    Deferred<String> firedElsewhere(TrialContext test) {
        test.addCleanup(() -> cleanupThread = Thread.currentThread().getName());
        Deferred<String> result = new Deferred<>();
        // Started once the test has returned its Deferred (a later turn of the loop), so that it
        // fires what the engine already waits for, as a library's callback would.
        test.reactor().callLater(Duration.ZERO, () -> new Thread(() -> result.callback("done"), "some-library-callback").start());
        return result;
    }
}
