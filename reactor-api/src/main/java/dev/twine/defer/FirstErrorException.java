package dev.twine.defer;

/**
 * The first failure among several Deferreds, when a {@link DeferredList} fires on one errback
 * (Twisted's {@code FirstError}).
 */
public class FirstErrorException extends RuntimeException {
    private final transient Failure subFailure;
    private final int index;

    /** The Deferred at {@code index} failed with {@code subFailure}. */
    public FirstErrorException(Failure subFailure, int index) {
        super("FirstError[#" + index + ", " + subFailure + "]", subFailure.value());
        this.subFailure = subFailure;
        this.index = index;
    }

    /** The failure of the Deferred that failed first. */
    public Failure subFailure() {
        return subFailure;
    }

    /** Its position in the list given. */
    public int index() {
        return index;
    }
}
