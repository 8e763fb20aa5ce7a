package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The attempt was abandoned with {@link dev.twine.reactor.Connector#stopConnecting()} (Twisted's
 * {@code UserError}, "User aborted connection").
 */
@API(status = STABLE, since = "0.1")
public class ConnectCancelledException extends ConnectionFailedException {
    /** The standard message. */
    public ConnectCancelledException() {
        super("User aborted connection.");
    }
}
