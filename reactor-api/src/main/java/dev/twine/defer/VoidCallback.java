package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A step on the callback side of a {@link Deferred} that uses the result and returns nothing; the
 * chain then carries {@code null}, as a Python callback that returns nothing leaves {@code None}.
 * It may throw; the exception moves the chain to the errback side.
 *
 * @param <T> the result it receives
 * @see Deferred#addVoidCallback(VoidCallback)
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface VoidCallback<T> {
    /** Uses {@code result}. */
    void accept(T result) throws Exception;
}
