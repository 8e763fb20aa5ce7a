package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import org.apiguardian.api.API;

/** The attempt took longer than its timeout (Twisted's {@code TimeoutError} for connections). */
@API(status = STABLE, since = "0.1")
public class ConnectTimeoutException extends ConnectionFailedException {
    /** After {@code timeout}. */
    public ConnectTimeoutException(Duration timeout) {
        super("Connection attempt timed out after " + timeout.toMillis() + " ms.");
    }
}
