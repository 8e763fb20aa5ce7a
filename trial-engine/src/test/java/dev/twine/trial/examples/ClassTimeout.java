package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.trial.Timeout;
import dev.twine.trial.TrialTest;
import java.util.concurrent.TimeUnit;

/** Run by the engine's tests: the class's timeout applies to a method without its own. */
@Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
public class ClassTimeout {
    @TrialTest
    Deferred<Void> waitsForever() {
        return new Deferred<>();
    }
}
