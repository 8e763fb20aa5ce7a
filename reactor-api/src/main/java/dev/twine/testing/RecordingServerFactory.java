package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * A server factory that keeps the {@link Recorder}s it built and the addresses each was built
 * for, counts {@code doStart} and {@code doStop}, and offers Deferreds for the first connection.
 *
 * <p>The Deferreds fire on the thread the reactor calls the factory and its protocols on; use the
 * factory from that thread, or read it after the reactor has stopped ({@link #callbacks} alone is
 * thread-safe). Bounded: more than {@link #MAX_PROTOCOLS} protocols make {@code buildProtocol}
 * throw an {@link IllegalStateException} naming the limit.
 *
 * @param <P> the protocols it builds
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class RecordingServerFactory<P extends Recorder> implements ProtocolFactory {
    /** The protocols kept before {@code buildProtocol} fails. */
    public static final int MAX_PROTOCOLS = 10_000;

    /** The protocols built, in order. */
    public final List<P> protocols = new ArrayList<>();
    /** The address each was built for, in the same order. */
    public final List<Address> addresses = new ArrayList<>();
    /** Fires with the first protocol built, before the reactor connects it. */
    public final Deferred<P> first = new Deferred<>();
    /** How many times doStart was called. Written only by doStart. */
    public int starts;
    /** How many times doStop was called. Written only by doStop. */
    public int stops;
    /** Each of the factory's callbacks (as {@code factory.buildProtocol} …) and the thread it ran on. */
    public final CallbackThreads callbacks = new CallbackThreads();
    private final Supplier<P> make;

    /** A factory building each protocol with {@code make}. */
    public RecordingServerFactory(Supplier<P> make) {
        this.make = make;
    }

    /**
     * Fires with the first protocol once its connectionMade has run (its transport is set); fails
     * if its {@link Recorder#connected} does.
     */
    public Deferred<P> firstConnected() {
        return first.addDeferredCallback(protocol -> {
            Deferred<P> connected = new Deferred<>();
            protocol.connected.addBoth((value, failure) -> {
                if (failure == null) {
                    connected.callback(protocol);
                } else {
                    connected.errback(failure);
                }
                return value;
            });
            return connected;
        });
    }

    @Override
    public Protocol buildProtocol(Address address) {
        callbacks.record("factory.buildProtocol");
        if (protocols.size() >= MAX_PROTOCOLS) {
            throw new IllegalStateException("the RecordingServerFactory keeps at most " + MAX_PROTOCOLS + " protocols");
        }
        addresses.add(address);
        P protocol = make.get();
        protocols.add(protocol);
        if (!first.isCalled()) {
            first.callback(protocol);
        }
        return protocol;
    }

    @Override
    public void doStart() {
        callbacks.record("factory.doStart");
        starts++;
    }

    @Override
    public void doStop() {
        callbacks.record("factory.doStop");
        stops++;
    }
}
