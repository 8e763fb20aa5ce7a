package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** Thrown when a cancelled {@link DelayedCall} is cancelled, reset or delayed again (Twisted's {@code AlreadyCancelled}). */
@API(status = STABLE, since = "0.1")
public class AlreadyCancelledException extends IllegalStateException {
    /** With a message naming the call. */
    public AlreadyCancelledException(String message) {
        super(message);
    }
}
