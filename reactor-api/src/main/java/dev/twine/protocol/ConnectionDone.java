package dev.twine.protocol;

/** A clean close, by either side (Twisted's {@code ConnectionDone}). */
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
