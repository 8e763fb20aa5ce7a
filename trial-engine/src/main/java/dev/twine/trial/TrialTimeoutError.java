package dev.twine.trial;

/**
 * A phase of a test did not finish within its {@link Timeout} (trial's {@code TimeoutError}). The
 * message names the test, the phase and what it was waiting for; the Deferred it waited for was
 * cancelled.
 */
public class TrialTimeoutError extends AssertionError {
    /** With the full message. */
    public TrialTimeoutError(String message) {
        super(message);
    }
}
