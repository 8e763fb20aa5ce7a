package dev.twine.defer;

/**
 * A step on the errback side of a {@link Deferred}: given the current {@link Failure}, returns a
 * value (the chain resumes on the callback side) or throws (the chain stays on the errback side;
 * {@link Failure#trap} and {@link Failure#raiseException} rethrow the original error).
 *
 * @param <R> the value it recovers with
 */
@FunctionalInterface
public interface Errback<R> {
    /** Handles {@code failure}. */
    R apply(Failure failure) throws Exception;
}
