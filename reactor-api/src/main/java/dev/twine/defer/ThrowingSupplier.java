package dev.twine.defer;

/**
 * Work that produces a value and may throw. Used wherever Twine calls code for a result:
 * {@link Deferred#execute}, {@link Deferred#maybeDeferred}, {@code deferToThread}, {@code deferLater}.
 *
 * @param <T> the value produced
 */
@FunctionalInterface
public interface ThrowingSupplier<T> {
    /** Produces the value. */
    T get() throws Exception;
}
