package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests: passes only if the other Parallel class runs at the same time. */
public class Parallel1 {
    public static volatile Thread reactorThread;

    @TrialTest
    Deferred<Boolean> meetsTheOther(Reactor reactor) {
        reactorThread = Thread.currentThread();
        ParallelMeeting.ARRIVED.countDown();
        return reactor.deferToThread(() -> {
            if (!ParallelMeeting.ARRIVED.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the other class never ran alongside");
            }
            return true;
        });
    }
}
