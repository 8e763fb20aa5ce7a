package dev.twine.protocol;

/** Nothing listens there: the peer refused (Twisted's {@code ConnectionRefusedError}). */
public class ConnectionRefusedException extends ConnectionFailedException {
    /** With the underlying error. */
    public ConnectionRefusedException(Throwable cause) {
        super("Connection was refused by other side: " + (cause == null ? "Connection refused" : cause.getMessage()) + ".", cause);
    }
}
