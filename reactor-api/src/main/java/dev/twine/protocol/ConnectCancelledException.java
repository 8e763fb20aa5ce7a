package dev.twine.protocol;

/**
 * The attempt was abandoned with {@link dev.twine.reactor.Connector#stopConnecting()} (Twisted's
 * {@code UserError}, "User aborted connection").
 */
public class ConnectCancelledException extends ConnectionFailedException {
    /** The standard message. */
    public ConnectCancelledException() {
        super("User aborted connection.");
    }
}
