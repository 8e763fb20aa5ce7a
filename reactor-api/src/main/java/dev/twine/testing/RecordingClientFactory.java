package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * A client factory that records its callbacks in order, keeps the protocols it built, and offers
 * Deferreds for the moments a test waits for: built, connection failed, connection lost.
 *
 * <p>{@link #events} names each callback ({@code doStart}, {@code startedConnecting}, {@code
 * buildProtocol}, {@code clientConnectionFailed:ReasonType}, {@code clientConnectionLost:ReasonType},
 * {@code doStop}). Each Deferred fires once, at the first such callback, on the thread the reactor
 * calls the factory on; use the factory from that thread, or read it after the reactor has
 * stopped ({@link #callbacks} alone is thread-safe).
 *
 * <p>Bounded: more than {@link #MAX_PROTOCOLS} protocols built, or {@link #MAX_EVENTS} events,
 * make the callback that would grow it throw an {@link IllegalStateException} naming the limit.
 *
 * @param <P> the protocols it builds
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class RecordingClientFactory<P extends Protocol> implements ClientFactory {
    /** The protocols kept before {@code buildProtocol} fails. */
    public static final int MAX_PROTOCOLS = 10_000;
    /** The events kept before a callback fails. */
    public static final int MAX_EVENTS = 100_000;

    /** The callbacks in order ({@code doStart}, {@code startedConnecting}, {@code buildProtocol}, …). */
    public final List<String> events = new ArrayList<>();
    /** Fires with the reason at the first clientConnectionFailed. */
    public final Deferred<Throwable> failed = new Deferred<>();
    /** Fires with the reason at the first clientConnectionLost. */
    public final Deferred<Throwable> lost = new Deferred<>();
    /** Fires with the first protocol buildProtocol made. */
    public final Deferred<P> built = new Deferred<>();
    /** The address buildProtocol was last given, or null. */
    public Address builtFor;
    /** The protocols built, in order. */
    public final List<P> protocols = new ArrayList<>();
    /** Each of the factory's callbacks (as {@code factory.buildProtocol} …) and the thread it ran on. */
    public final CallbackThreads callbacks = new CallbackThreads();
    private final Supplier<P> make;

    /** A factory building each protocol with {@code make}. */
    public RecordingClientFactory(Supplier<P> make) {
        this.make = make;
    }

    @Override
    public Protocol buildProtocol(Address address) {
        callbacks.record("factory.buildProtocol");
        if (protocols.size() >= MAX_PROTOCOLS) {
            throw new IllegalStateException("the RecordingClientFactory keeps at most " + MAX_PROTOCOLS + " protocols");
        }
        addEvent("buildProtocol");
        builtFor = address;
        P protocol = make.get();
        protocols.add(protocol);
        if (!built.isCalled()) {
            built.callback(protocol);
        }
        return protocol;
    }

    @Override
    public void doStart() {
        callbacks.record("factory.doStart");
        addEvent("doStart");
    }

    @Override
    public void doStop() {
        callbacks.record("factory.doStop");
        addEvent("doStop");
    }

    @Override
    public void startedConnecting(Connector connector) {
        callbacks.record("factory.startedConnecting");
        addEvent("startedConnecting");
    }

    @Override
    public void clientConnectionFailed(Connector connector, Failure reason) {
        callbacks.record("factory.clientConnectionFailed");
        addEvent("clientConnectionFailed:" + reason.type().getSimpleName());
        if (!failed.isCalled()) {
            failed.callback(reason.value());
        }
    }

    @Override
    public void clientConnectionLost(Connector connector, Failure reason) {
        callbacks.record("factory.clientConnectionLost");
        addEvent("clientConnectionLost:" + reason.type().getSimpleName());
        if (!lost.isCalled()) {
            lost.callback(reason.value());
        }
    }

    private void addEvent(String event) {
        if (events.size() >= MAX_EVENTS) {
            throw new IllegalStateException("the RecordingClientFactory keeps at most " + MAX_EVENTS
                    + " events; then came " + event);
        }
        events.add(event);
    }
}
