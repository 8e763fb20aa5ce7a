package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * How one Deferred in a {@link DeferredList} ended: Twisted's {@code (success, result)} pair.
 *
 * @param succeeded whether it fired with a value
 * @param value the value, when it succeeded ({@code null} otherwise)
 * @param failure the Failure, when it failed ({@code null} otherwise)
 * @param <T> the value's type
 */
@API(status = STABLE, since = "0.1")
public record Outcome<T>(boolean succeeded, T value, Failure failure) {

    /** A success with {@code value}. */
    public static <T> Outcome<T> success(T value) {
        return new Outcome<>(true, value, null);
    }

    /** A failure with {@code failure}. */
    public static <T> Outcome<T> failure(Failure failure) {
        return new Outcome<>(false, null, failure);
    }

    /** {@code (true, value)} or {@code (false, failure)}, as Twisted prints the pair. */
    @Override
    public String toString() {
        return succeeded ? "(true, " + value + ")" : "(false, " + failure + ")";
    }
}
