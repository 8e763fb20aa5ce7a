package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * The error a {@link Deferred} fails with when {@link Deferred#addTimeout} cancelled it (Twisted's
 * {@code defer.TimeoutError}): the cancellation's {@link CancelledException} is replaced by this,
 * naming the timeout.
 */
@API(status = STABLE, since = "0.1")
public class DeferredTimeoutException extends RuntimeException {
    private final transient Duration timeout;

    /** A timeout of {@code timeout} on {@code what}, for example "Deferred". */
    public DeferredTimeoutException(Duration timeout, String what) {
        super(what + " timed out after " + Durations.describe(timeout));
        this.timeout = timeout;
    }

    /** How long the Deferred was given. */
    public Duration timeout() {
        return timeout;
    }
}
