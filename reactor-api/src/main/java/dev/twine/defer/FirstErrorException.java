package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The first failure among several Deferreds, when a {@link DeferredList} fires on one errback
 * (Twisted's {@code FirstError}).
 */
@API(status = STABLE, since = "0.1")
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
