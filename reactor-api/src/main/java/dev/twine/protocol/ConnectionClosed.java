package dev.twine.protocol;

import java.io.IOException;

/** Why a connection ended: Twisted's {@code ConnectionClosed}, the parent of the specific reasons. */
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
