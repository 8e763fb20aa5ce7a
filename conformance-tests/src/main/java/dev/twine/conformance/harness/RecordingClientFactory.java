package dev.twine.conformance.harness;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A client factory that records its callbacks in order and offers Deferreds for them. */
public class RecordingClientFactory<P extends Protocol> implements ClientFactory {
    /** The callbacks in order ({@code doStart}, {@code startedConnecting}, {@code buildProtocol}, …). */
    public final List<String> events = new ArrayList<>();
    /** Fires with the reason at clientConnectionFailed. */
    public final Deferred<Throwable> failed = new Deferred<>();
    /** Fires with the reason at clientConnectionLost. */
    public final Deferred<Throwable> lost = new Deferred<>();
    /** Fires with the protocol buildProtocol made. */
    public final Deferred<P> built = new Deferred<>();
    /** The address buildProtocol was given. */
    public Address builtFor;
    /** The protocols built, in order. */
    public final List<P> protocols = new ArrayList<>();
    /** Each of the factory's callbacks and the thread it ran on. */
    public final CallbackThreads callbacks = new CallbackThreads();
    private final Supplier<P> make;

    /** A factory building protocols with {@code make}. */
    public RecordingClientFactory(Supplier<P> make) {
        this.make = make;
    }

    @Override
    public Protocol buildProtocol(Address address) {
        callbacks.record("factory.buildProtocol");
        events.add("buildProtocol");
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
        events.add("doStart");
    }

    @Override
    public void doStop() {
        callbacks.record("factory.doStop");
        events.add("doStop");
    }

    @Override
    public void startedConnecting(Connector connector) {
        callbacks.record("factory.startedConnecting");
        events.add("startedConnecting");
    }

    @Override
    public void clientConnectionFailed(Connector connector, Failure reason) {
        callbacks.record("factory.clientConnectionFailed");
        events.add("clientConnectionFailed:" + reason.type().getSimpleName());
        if (!failed.isCalled()) {
            failed.callback(reason.value());
        }
    }

    @Override
    public void clientConnectionLost(Connector connector, Failure reason) {
        callbacks.record("factory.clientConnectionLost");
        events.add("clientConnectionLost:" + reason.type().getSimpleName());
        if (!lost.isCalled()) {
            lost.callback(reason.value());
        }
    }
}
