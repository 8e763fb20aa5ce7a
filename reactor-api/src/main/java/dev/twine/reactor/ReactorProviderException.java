package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** A {@link ReactorProvider} could not be found or created; the message says what to do. */
@API(status = STABLE, since = "0.1")
public class ReactorProviderException extends RuntimeException {
    /** With the message and its cause. */
    public ReactorProviderException(String message, Throwable cause) {
        super(message, cause);
    }

    /** With the message. */
    public ReactorProviderException(String message) {
        super(message);
    }
}
