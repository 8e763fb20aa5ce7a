package dev.twine.trial.examples;

import dev.twine.trial.Timeout;
import dev.twine.trial.TrialTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests: a test that wrongly blocks the reactor thread. */
public class BlocksTheReactor {
    public static final CountDownLatch RELEASE = new CountDownLatch(1);
    public static volatile Thread reactorThread;
    public static volatile boolean cleanupRan;

    @TrialTest
    @Timeout(value = 100, unit = TimeUnit.MILLISECONDS)
    void blocks(dev.twine.trial.TrialContext test) throws InterruptedException {
        reactorThread = Thread.currentThread();
        test.addCleanup(() -> cleanupRan = true);
        RELEASE.await();
    }

    @TrialTest
    void zzAfterTheBlockedOne() {
    }
}
