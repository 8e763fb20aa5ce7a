package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Work that produces a value and may throw. Used wherever Twine calls code for a result:
 * {@link Deferred#execute}, {@link Deferred#maybeDeferred}, {@code deferToThread}, {@code deferLater}.
 *
 * @param <T> the value produced
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface ThrowingSupplier<T> {
    /** Produces the value. */
    T get() throws Exception;
}
