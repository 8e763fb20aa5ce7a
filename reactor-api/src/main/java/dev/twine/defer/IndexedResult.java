package dev.twine.defer;

/**
 * The first success among several Deferreds ({@link DeferredList#firstOf}): Twisted's {@code
 * (result, index)} pair.
 *
 * @param result the value it fired with
 * @param index its position in the list given
 * @param <T> the value's type
 */
public record IndexedResult<T>(T result, int index) {
    /** {@code (result, index)}. */
    @Override
    public String toString() {
        return "(" + result + ", " + index + ")";
    }
}
