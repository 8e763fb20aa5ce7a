package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** A clean close, by either side (Twisted's {@code ConnectionDone}). */
@API(status = STABLE, since = "0.1")
public class ConnectionDone extends ConnectionClosed {
    /** The standard message. */
    public ConnectionDone() {
        super("Connection was closed cleanly.");
    }

    /** With a message of its own. */
    public ConnectionDone(String message) {
        super(message);
    }
}
