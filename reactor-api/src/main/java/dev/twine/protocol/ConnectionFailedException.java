package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.IOException;
import org.apiguardian.api.API;

/**
 * A connection attempt failed (Twisted's {@code ConnectError}); subclasses say how. Given to
 * {@link ClientFactory#clientConnectionFailed}.
 */
@API(status = STABLE, since = "0.1")
public class ConnectionFailedException extends IOException {
    /** With a message. */
    public ConnectionFailedException(String message) {
        super(message);
    }

    /** With a message and the underlying error. */
    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
