package dev.twine.trial.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import org.apiguardian.api.API;

/**
 * Entry point of the AssertJ assertions for Deferreds ({@code import static
 * dev.twine.trial.assertj.TrialAssertions.assertThat}). Needs AssertJ on the class path (the engine
 * declares it optional).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TrialAssertions {
    private TrialAssertions() {
    }

    /** Assertions on {@code deferred}. */
    public static <T> DeferredAssert<T> assertThat(Deferred<T> deferred) {
        return new DeferredAssert<>(deferred);
    }
}
