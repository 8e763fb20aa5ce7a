package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Deferred;
import org.apiguardian.api.API;

/** A port a reactor listens on: Twisted's {@code IListeningPort}. Used on the reactor thread. */
@API(status = STABLE, since = "0.1")
public interface ListeningPort {

    /**
     * Stops accepting connections and closes the port. Connections already accepted stay open.
     * The Deferred fires (with {@code null}) once the port is closed and the factory's {@code
     * doStop} has run; calling it again returns a Deferred that fires the same way.
     */
    Deferred<Void> stopListening();

    /** The address the port is bound to; for port 0, the port the system chose. */
    Address getHost();
}
