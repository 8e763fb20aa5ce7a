package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Failure;
import dev.twine.reactor.Connector;
import org.apiguardian.api.API;

/**
 * A factory for outgoing connections: Twisted's {@code ClientFactory}. Called on the reactor
 * thread, in this order: {@link #startedConnecting}, then either {@code buildProtocol} (and,
 * after the protocol's {@code connectionLost}, {@link #clientConnectionLost}) or {@link
 * #clientConnectionFailed}. Each does nothing by default.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface ClientFactory extends ProtocolFactory {

    /** The attempt has begun. */
    default void startedConnecting(Connector connector) {
    }

    /**
     * The attempt failed; {@code reason} is a {@link ConnectionFailedException} (refused, timed
     * out, unknown host, cancelled, …).
     */
    default void clientConnectionFailed(Connector connector, Failure reason) {
    }

    /** The connection it made is closed; called after the protocol's {@code connectionLost}. */
    default void clientConnectionLost(Connector connector, Failure reason) {
    }
}
