package dev.twine.protocol;

import java.io.IOException;

/**
 * A connection attempt failed (Twisted's {@code ConnectError}); subclasses say how. Given to
 * {@link ClientFactory#clientConnectionFailed}.
 */
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
