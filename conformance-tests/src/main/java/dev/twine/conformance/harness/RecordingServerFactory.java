package dev.twine.conformance.harness;

import dev.twine.defer.Deferred;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A server factory that keeps what it built, the addresses it was given, and counts start and stop. */
public class RecordingServerFactory<P extends Recorder> implements ProtocolFactory {
    /** The protocols built, in order. */
    public final List<P> protocols = new ArrayList<>();
    /** The address each was built for. */
    public final List<Address> addresses = new ArrayList<>();
    /** Fires with the first protocol built. */
    public final Deferred<P> first = new Deferred<>();
    /** Times doStart and doStop were called. */
    public int starts;
    public int stops;
    /** Each of the factory's callbacks and the thread it ran on. */
    public final CallbackThreads callbacks = new CallbackThreads();
    private final Supplier<P> make;

    /** A factory building protocols with {@code make}. */
    public RecordingServerFactory(Supplier<P> make) {
        this.make = make;
    }

    /** Fires with the first protocol once its connectionMade has run (its transport is set). */
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
