package dev.twine.trial.examples;

import dev.twine.trial.TrialTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests, beside {@link ParallelBystander}: leaves a thread running. */
public class ParallelLeaker {
    public static volatile CountDownLatch leaked = new CountDownLatch(1);
    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    @TrialTest
    void leavesAThread() {
        Thread thread = new Thread(() -> {
            try {
                RELEASE.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "left-by-the-leaker");
        thread.setDaemon(true);
        thread.start();
        leaked.countDown(); // the thread lives on until the engine's test releases it, after both classes ran
    }
}
