package dev.twine.testing;

import dev.twine.defer.Deferred;

/** Reads a Deferred synchronously, for the tests of this package. */
final class Fired {
    /** What {@link #outcome} gives for a Deferred that has not fired (or waits on another). */
    static final String NOT_FIRED = "not fired";

    private Fired() {
    }

    /**
     * The Deferred's value, its failure's exception, or {@link #NOT_FIRED}. A value is passed on
     * to the next reader; a failure is handled here.
     */
    static Object outcome(Deferred<?> d) {
        Object[] seen = {NOT_FIRED};
        d.addBoth((value, failure) -> {
            seen[0] = failure == null ? value : failure.value();
            return value;
        });
        return seen[0];
    }
}
