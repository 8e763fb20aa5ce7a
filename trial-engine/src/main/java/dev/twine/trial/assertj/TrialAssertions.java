package dev.twine.trial.assertj;

import dev.twine.defer.Deferred;

/**
 * Entry point of the AssertJ assertions for Deferreds ({@code import static
 * dev.twine.trial.assertj.TrialAssertions.assertThat}). Needs AssertJ on the class path (the engine
 * declares it optional).
 */
public final class TrialAssertions {
    private TrialAssertions() {
    }

    /** Assertions on {@code deferred}. */
    public static <T> DeferredAssert<T> assertThat(Deferred<T> deferred) {
        return new DeferredAssert<>(deferred);
    }
}
