package dev.twine.trial.examples;

import java.util.concurrent.CountDownLatch;

/** Where the two Parallel classes meet. */
public final class ParallelMeeting {
    public static volatile CountDownLatch ARRIVED = new CountDownLatch(2);

    private ParallelMeeting() {
    }
}
