package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: a test whose Deferred is fired by another thread, as an HTTP client's callback would. */
public class FiresOnAnotherThread {
    public static volatile String cleanupThread;

    @TrialTest
    Deferred<String> firedElsewhere(TrialContext test) {
        test.addCleanup(() -> cleanupThread = Thread.currentThread().getName());
        Deferred<String> result = new Deferred<>();
        Thread other = new Thread(() -> result.callback("done"), "some-library-callback");
        other.start();
        return result;
    }
}
