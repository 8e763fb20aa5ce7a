package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: only the global timeout ({@code twine.trial.timeout}) applies. */
public class NoTimeoutDeclared {
    @TrialTest
    Deferred<Void> waitsForever() {
        return new Deferred<>();
    }
}
