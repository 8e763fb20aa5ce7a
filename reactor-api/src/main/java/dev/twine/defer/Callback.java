package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A step on the callback side of a {@link Deferred}: given the current result, returns the next.
 * It may throw; the exception moves the chain to the errback side.
 *
 * @param <T> the result it receives
 * @param <R> the result it returns
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface Callback<T, R> {
    /** Computes the next result from {@code result}. */
    R apply(T result) throws Exception;
}
