package dev.twine.reactor;

/** A {@link ReactorProvider} could not be found or created; the message says what to do. */
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
