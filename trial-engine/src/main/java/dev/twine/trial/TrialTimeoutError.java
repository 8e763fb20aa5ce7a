package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A phase of a test did not finish within its {@link Timeout} (trial's {@code TimeoutError}). The
 * message names the test, the phase and what it was waiting for; the Deferred it waited for was
 * cancelled.
 *
 * <p>It is an error, not a failure, as trial counts it.
 */
@API(status = STABLE, since = "0.1")
public class TrialTimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the full message. */
    public TrialTimeoutError(String message) {
        super(message);
    }
}
