package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A step run on either side of a {@link Deferred} that returns nothing (Twisted's {@code addBoth}
 * with a function that returns {@code None}): it receives the value and a null failure, or a null
 * value and the {@link Failure}. Returning leaves the chain on the callback side with {@code null};
 * throwing moves it to the errback side.
 *
 * @param <T> the value it may receive
 * @see Deferred#addVoidBoth(VoidBothCallback)
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface VoidBothCallback<T> {
    /** Runs the step; exactly one of the cases applies: {@code failure == null} or not. */
    void accept(T value, Failure failure) throws Exception;
}
