package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.reactor.Address;
import java.util.Objects;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Makes a {@link Protocol} for each connection: Twisted's {@code Factory}. Called on the reactor
 * thread.
 *
 * <p>The reactor calls {@link #doStart()} when a port starts listening with it (or a connector
 * starts connecting), and {@link #doStop()} when that port stops (or the connection attempt is
 * over); a factory used by several ports hears each. Both do nothing by default.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface ProtocolFactory {

    /**
     * A protocol for a new connection with {@code address} (the peer's address), or {@code null}
     * to refuse it: the connection is then closed at once.
     */
    Protocol buildProtocol(Address address);

    /** A port or connector started using this factory. */
    default void doStart() {
    }

    /** A port or connector stopped using this factory. */
    default void doStop() {
    }

    /** A factory that makes each protocol with {@code protocols} (Twisted's {@code Factory.forProtocol}). */
    static ProtocolFactory forProtocol(Supplier<? extends Protocol> protocols) {
        Objects.requireNonNull(protocols, "protocols");
        return address -> protocols.get();
    }
}
