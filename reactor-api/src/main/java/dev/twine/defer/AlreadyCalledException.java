package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Thrown to the caller who tries to fire something a second time: a {@link Deferred} that has
 * already been given a result (Twisted's {@code AlreadyCalledError}), or a delayed call that has
 * already run. Nothing about the fired object changes.
 */
@API(status = STABLE, since = "0.1")
public class AlreadyCalledException extends IllegalStateException {
    /** With a message saying what was already called. */
    public AlreadyCalledException(String message) {
        super(message);
    }
}
