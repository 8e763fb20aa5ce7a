package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A close that was not clean: a reset, an I/O error, a failed TLS handshake (Twisted's {@code
 * ConnectionLost}).
 */
@API(status = STABLE, since = "0.1")
public class ConnectionLost extends ConnectionClosed {
    /** The standard message. */
    public ConnectionLost() {
        super("Connection to the other side was lost in a non-clean fashion.");
    }

    /** With the underlying error, named in the message. */
    public ConnectionLost(Throwable cause) {
        super("Connection to the other side was lost in a non-clean fashion: " + cause, cause);
    }

    /** With a message of its own and the underlying error. */
    public ConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
