package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A step run on either side of a {@link Deferred} (Twisted's {@code addBoth}): it receives the
 * value and a null failure when the chain is on the callback side, or a null value and the
 * {@link Failure} when it is on the errback side. Returning moves the chain to the callback side;
 * throwing moves it to the errback side.
 *
 * @param <T> the value it may receive
 * @param <R> the result it returns
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface BothCallback<T, R> {
    /** Computes the next result; exactly one of the cases applies: {@code failure == null} or not. */
    R apply(T value, Failure failure) throws Exception;
}
