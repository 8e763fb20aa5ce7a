package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.Timeout;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests: the largest timeouts a user can write must not overflow into "at once". */
public class LongestTimeout {
    @TrialTest
    @Timeout(Long.MAX_VALUE)
    Deferred<Void> longMaxSeconds(Reactor reactor) {
        return later(reactor);
    }

    @TrialTest
    @Timeout(value = Long.MAX_VALUE, unit = TimeUnit.NANOSECONDS)
    Deferred<Void> longMaxNanoseconds(Reactor reactor) {
        return later(reactor);
    }

    private static Deferred<Void> later(Reactor reactor) {
        Deferred<Void> done = new Deferred<>();
        reactor.callLater(Duration.ofMillis(20), () -> done.callback(null));
        return done;
    }
}
