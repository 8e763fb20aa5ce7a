package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;
import java.util.concurrent.TimeUnit;

/**
 * Run by the engine's tests beside PrintsInParallelB: prints, waits until the other class has
 * printed too, prints again; so the two classes' output interleaves.
 */
public class PrintsInParallelA {
    @TrialTest
    Deferred<Void> printsAroundTheOther(Reactor reactor) {
        System.out.println("A before");
        PrintsInParallelA.BOTH_PRINTED.countDown();
        return reactor.deferToThread(() -> {
            if (!PrintsInParallelA.BOTH_PRINTED.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("PrintsInParallelB never printed alongside");
            }
            return null;
        }).addVoidCallback(ignored -> System.out.println("A after"));
    }

    /** Counted down by each class once it has printed its first line. */
    public static volatile java.util.concurrent.CountDownLatch BOTH_PRINTED = new java.util.concurrent.CountDownLatch(2);
}
