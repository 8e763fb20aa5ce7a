package dev.twine.trial.examples;

import dev.twine.trial.TrialTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests, beside {@link ParallelBystander}: leaves a thread running. */
public class ParallelLeaker {
    public static volatile CountDownLatch bystanderStarted = new CountDownLatch(1);
    public static volatile CountDownLatch leaked = new CountDownLatch(1);
    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    @TrialTest
    void leavesAThread() throws InterruptedException {
        bystanderStarted.await(10, TimeUnit.SECONDS); // so that the thread is new to the other class's janitor too
        Thread thread = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (RELEASE.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    RELEASE.await(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // deaf to the janitor's interrupt, so that every janitor that looks sees it running
                }
            }
        }, "left-by-the-leaker");
        thread.setDaemon(true);
        thread.start();
        leaked.countDown(); // the thread lives on until the engine's test releases it, after both classes ran
    }
}
