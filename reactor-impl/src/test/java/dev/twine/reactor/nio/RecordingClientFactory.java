package dev.twine.reactor.nio;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A client factory that records its callbacks in order. */
final class RecordingClientFactory<P extends Protocol> implements ClientFactory {
    final List<String> events = new ArrayList<>();
    final Deferred<Throwable> failed = new Deferred<>();
    final Deferred<Throwable> lost = new Deferred<>();
    final Deferred<P> built = new Deferred<>();
    private final Supplier<P> protocols;
    Address builtFor;

    RecordingClientFactory(Supplier<P> protocols) {
        this.protocols = protocols;
    }

    @Override
    public Protocol buildProtocol(Address address) {
        events.add("buildProtocol");
        builtFor = address;
        P protocol = protocols.get();
        built.callback(protocol);
        return protocol;
    }

    @Override
    public void doStart() {
        events.add("doStart");
    }

    @Override
    public void doStop() {
        events.add("doStop");
    }

    @Override
    public void startedConnecting(Connector connector) {
        events.add("startedConnecting");
    }

    @Override
    public void clientConnectionFailed(Connector connector, Failure reason) {
        events.add("clientConnectionFailed:" + reason.type().getSimpleName());
        failed.callback(reason.value());
    }

    @Override
    public void clientConnectionLost(Connector connector, Failure reason) {
        events.add("clientConnectionLost:" + reason.type().getSimpleName());
        lost.callback(reason.value());
    }
}
