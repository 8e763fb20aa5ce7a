package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests, beside {@link ParallelLeaker}: must not be blamed for its thread. */
public class ParallelBystander {
    @TrialTest
    Deferred<Boolean> endsWhileTheOtherClassLeaks(Reactor reactor) {
        ParallelLeaker.bystanderStarted.countDown();
        return reactor.deferToThread(() -> ParallelLeaker.leaked.await(10, TimeUnit.SECONDS));
    }
}
