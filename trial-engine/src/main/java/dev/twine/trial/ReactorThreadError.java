package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A Deferred a test (or its set-up, tear-down or a cleanup) returned fired on a thread other than
 * the reactor's. The engine moves what follows back to the reactor thread (so cleanups, tear-downs
 * and the janitor still run there) and reports this error naming the thread that fired it: a
 * Deferred must be fired on the reactor thread, for example through {@code callFromThread}.
 */
@API(status = STABLE, since = "0.1")
public final class ReactorThreadError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the full message. */
    public ReactorThreadError(String message) {
        super(message);
    }
}
