package dev.twine.defer;

/**
 * The error a {@link Deferred} fails with when it is {@linkplain Deferred#cancel() cancelled} and
 * its canceller (if any) did not give it a result of its own. Like Twisted's {@code
 * CancelledError} it carries no message.
 */
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
