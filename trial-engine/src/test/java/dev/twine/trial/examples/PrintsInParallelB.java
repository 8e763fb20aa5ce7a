package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;
import java.util.concurrent.TimeUnit;

/**
 * Run by the engine's tests beside PrintsInParallelA: prints, waits until the other class has
 * printed too, prints again; so the two classes' output interleaves.
 */
public class PrintsInParallelB {
    @TrialTest
    Deferred<Void> printsAroundTheOther(Reactor reactor) {
        System.out.println("B before");
        PrintsInParallelA.BOTH_PRINTED.countDown();
        return reactor.deferToThread(() -> {
            if (!PrintsInParallelA.BOTH_PRINTED.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("PrintsInParallelA never printed alongside");
            }
            return null;
        }).addVoidCallback(ignored -> System.out.println("B after"));
    }
}
