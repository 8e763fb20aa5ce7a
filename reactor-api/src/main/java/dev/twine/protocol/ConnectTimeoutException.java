package dev.twine.protocol;

import java.time.Duration;

/** The attempt took longer than its timeout (Twisted's {@code TimeoutError} for connections). */
public class ConnectTimeoutException extends ConnectionFailedException {
    /** After {@code timeout}. */
    public ConnectTimeoutException(Duration timeout) {
        super("Connection attempt timed out after " + timeout.toMillis() + " ms.");
    }
}
