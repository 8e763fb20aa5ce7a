package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ProtocolFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Unix domain stream sockets, an optional capability ({@link Capability#UNIX}): Twisted's {@code
 * IReactorUNIX}. Called on the reactor thread. Addresses are {@link UnixAddress}es.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorUnix {

    /**
     * Listens on the socket file {@code address}, which must not exist yet.
     *
     * @throws CannotListenException if it cannot bind
     */
    ListeningPort listenUNIX(Path address, ProtocolFactory factory, int backlog);

    /** Connects to the socket file {@code address}; reported to {@code factory} as for TCP. */
    Connector connectUNIX(Path address, ClientFactory factory, Duration timeout);
}
