package dev.twine.defer;

/**
 * A step on the callback side of a {@link Deferred} that uses the result and returns nothing; the
 * chain then carries {@code null}, as a Python callback that returns nothing leaves {@code None}.
 * It may throw; the exception moves the chain to the errback side.
 *
 * @param <T> the result it receives
 * @see Deferred#addVoidCallback(VoidCallback)
 */
@FunctionalInterface
public interface VoidCallback<T> {
    /** Uses {@code result}. */
    void accept(T result) throws Exception;
}
