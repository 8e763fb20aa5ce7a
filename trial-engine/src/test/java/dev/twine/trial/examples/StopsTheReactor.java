package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.Timeout;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: a test that stops the reactor it runs on, as the tutorial's clients do. */
@Timeout(60)
public class StopsTheReactor {
    @TrialTest
    Deferred<Void> stopsIt(Reactor reactor) {
        reactor.stop();
        return new Deferred<>(); // never fires: the engine must not wait for its timeout
    }

    @TrialTest
    void zzAfterTheStop() {
    }
}
