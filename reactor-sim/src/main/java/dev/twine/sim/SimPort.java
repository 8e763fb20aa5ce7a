package dev.twine.sim;

import dev.twine.defer.Deferred;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import java.util.ArrayList;
import java.util.List;

/** A simulated TCP port a host listens on. */
final class SimPort implements ListeningPort {
    final SimulatedReactor host;
    final int port;
    final ProtocolFactory factory;
    private final IPv4Address bound;
    private boolean closed;
    private boolean stopped;
    private final List<Deferred<Void>> waiting = new ArrayList<>();

    SimPort(SimulatedReactor host, int port, ProtocolFactory factory, String bound) {
        this.host = host;
        this.port = port;
        this.factory = factory;
        this.bound = new IPv4Address("TCP", bound, port);
    }

    boolean accepting() {
        return !closed;
    }

    @Override
    public Deferred<Void> stopListening() {
        host.checkThread();
        Deferred<Void> result = new Deferred<>();
        if (stopped) {
            result.callback(null);
            return result;
        }
        waiting.add(result);
        if (!closed) {
            closed = true;
            host.soon(this::close);
        }
        return result;
    }

    /** Closes the port now (at shutdown, or the event stopListening scheduled). */
    void close() {
        closed = true;
        if (stopped) {
            return;
        }
        stopped = true;
        host.tcpPorts.remove(port, this);
        try {
            factory.doStop();
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + factory.getClass().getName() + " (doStop):");
        }
        for (Deferred<Void> d : new ArrayList<>(waiting)) {
            d.callback(null);
        }
        waiting.clear();
    }

    @Override
    public Address getHost() {
        return bound;
    }

    @Override
    public String toString() {
        return "SimPort[" + host.name() + ":" + port + (closed ? " closed" : "") + "]";
    }
}
