package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A step on the errback side of a {@link Deferred}: given the current {@link Failure}, returns a
 * value (the chain resumes on the callback side) or throws (the chain stays on the errback side;
 * {@link Failure#trap} and {@link Failure#raiseException} rethrow the original error).
 *
 * @param <R> the value it recovers with
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface Errback<R> {
    /** Handles {@code failure}. */
    R apply(Failure failure) throws Exception;
}
