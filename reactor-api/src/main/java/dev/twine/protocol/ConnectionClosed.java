package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.IOException;
import org.apiguardian.api.API;

/** Why a connection ended: Twisted's {@code ConnectionClosed}, the parent of the specific reasons. */
@API(status = STABLE, since = "0.1")
public class ConnectionClosed extends IOException {
    /** With a message. */
    public ConnectionClosed(String message) {
        super(message);
    }

    /** With a message and the underlying error. */
    public ConnectionClosed(String message, Throwable cause) {
        super(message, cause);
    }
}
