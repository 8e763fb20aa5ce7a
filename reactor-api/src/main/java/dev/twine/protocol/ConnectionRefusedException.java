package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** Nothing listens there: the peer refused (Twisted's {@code ConnectionRefusedError}). */
@API(status = STABLE, since = "0.1")
public class ConnectionRefusedException extends ConnectionFailedException {
    /** With the underlying error. */
    public ConnectionRefusedException(Throwable cause) {
        super("Connection was refused by other side: " + (cause == null ? "Connection refused" : cause.getMessage()) + ".", cause);
    }
}
