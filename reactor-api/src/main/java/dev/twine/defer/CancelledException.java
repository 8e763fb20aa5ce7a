package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The error a {@link Deferred} fails with when it is {@linkplain Deferred#cancel() cancelled} and
 * its canceller (if any) did not give it a result of its own. Like Twisted's {@code
 * CancelledError} it carries no message.
 */
@API(status = STABLE, since = "0.1")
public class CancelledException extends RuntimeException {
    /** A cancellation with no message. */
    public CancelledException() {
        super();
    }

    /** A cancellation that says why, for cancellers that know more. */
    public CancelledException(String message) {
        super(message);
    }
}
