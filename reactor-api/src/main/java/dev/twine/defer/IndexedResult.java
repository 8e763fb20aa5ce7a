package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The first success among several Deferreds ({@link DeferredList#firstOf}): Twisted's {@code
 * (result, index)} pair.
 *
 * @param result the value it fired with
 * @param index its position in the list given
 * @param <T> the value's type
 */
@API(status = STABLE, since = "0.1")
public record IndexedResult<T>(T result, int index) {
    /** {@code (result, index)}. */
    @Override
    public String toString() {
        return "(" + result + ", " + index + ")";
    }
}
