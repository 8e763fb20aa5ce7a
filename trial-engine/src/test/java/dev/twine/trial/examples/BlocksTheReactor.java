package dev.twine.trial.examples;

import dev.twine.trial.Timeout;
import dev.twine.trial.TrialTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests: a test that wrongly blocks the reactor thread. */
public class BlocksTheReactor {
    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    @TrialTest
    @Timeout(value = 100, unit = TimeUnit.MILLISECONDS)
    void blocks() throws InterruptedException {
        RELEASE.await();
    }

    @TrialTest
    void zzAfterTheBlockedOne() {
    }
}
