package dev.twine.sim;

import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ConnectTimeoutException;
import dev.twine.protocol.ConnectionFailedException;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.DnsLookupException;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A simulated outgoing connection attempt and then its connection. As on the real reactors, the
 * factory hears {@code doStart} and {@code startedConnecting} inside the connect call and every
 * outcome later; after a failure or a lost connection it hears {@code doStop} unless its callback
 * connected again.
 */
final class SimConnector implements Connector {
    private enum State { CONNECTING, CONNECTED, DISCONNECTED }

    final SimulatedReactor host;
    private final String destinationHost;
    final int port;
    private final ClientFactory factory;
    private final Duration timeout;
    private final IPv4Address destination;
    private State state = State.DISCONNECTED;
    private boolean factoryStarted;
    private int attempt;
    private DelayedCall timeoutCall;
    private SimConnection connection;

    SimConnector(SimulatedReactor host, String destinationHost, int port, ClientFactory factory, Duration timeout) {
        this.host = host;
        this.destinationHost = destinationHost;
        this.port = port;
        this.factory = factory;
        this.timeout = timeout;
        this.destination = new IPv4Address("TCP", destinationHost, port);
    }

    @Override
    public void connect() {
        host.checkThread();
        if (state != State.DISCONNECTED) {
            throw new IllegalStateException("can only connect when disconnected; " + destination + " is " + state);
        }
        state = State.CONNECTING;
        host.connectors.add(this);
        int thisAttempt = ++attempt;
        if (!factoryStarted) {
            factoryStarted = true;
            factory.doStart();
        }
        if (timeout != null) {
            timeoutCall = host.callLater(timeout, () -> {
                timeoutCall = null;
                if (state == State.CONNECTING && attempt == thisAttempt) {
                    failed(new ConnectTimeoutException(timeout));
                }
            });
        }
        host.soon(() -> open(thisAttempt));
        factory.startedConnecting(this);
    }

    private boolean current(int thisAttempt) {
        return state == State.CONNECTING && attempt == thisAttempt;
    }

    private void open(int thisAttempt) {
        if (!current(thisAttempt)) {
            return;
        }
        Simulation sim = host.sim();
        SimulatedReactor target = sim.resolve(destinationHost, host);
        if (target == null) {
            if (Simulation.isIpv4Literal(destinationHost)) {
                failed(new ConnectionFailedException("No route to host " + destinationHost + ": no simulated host has that address"));
            } else {
                failed(new DnsLookupException(destinationHost, new UnknownHostException(destinationHost
                        + ": no simulated host has that name")));
            }
            return;
        }
        int sourcePort = host.ephemeralPort();
        if (sim.tracing()) {
            sim.trace(host, "connect " + target.name() + ":" + port);
        }
        long departure = sim.departure(host, target);
        if (departure == Long.MAX_VALUE) {
            return; // a partition that never heals: the attempt times out
        }
        target.io(departure + sim.latency(host, target), () -> accept(target, thisAttempt, sourcePort));
    }

    /** On the target host: the connection request arrives. */
    private void accept(SimulatedReactor target, int thisAttempt, int sourcePort) {
        Simulation sim = host.sim();
        SimPort listening = target.tcpPorts.get(port);
        if (listening == null || !listening.accepting() || !target.isRunning() || target.refusing()) {
            if (sim.tracing()) {
                sim.trace(target, "refuse " + host.name() + " -> " + port);
            }
            long departure = sim.departure(target, host);
            if (departure != Long.MAX_VALUE) {
                host.io(departure + sim.latency(target, host), () -> refused(thisAttempt));
            }
            return;
        }
        int id = sim.nextConnectionId();
        SimConnection server = new SimConnection(target, id, new IPv4Address("TCP", target.address(), port),
                new IPv4Address("TCP", host.address(), sourcePort));
        SimConnection client = new SimConnection(host, id, new IPv4Address("TCP", host.address(), sourcePort),
                new IPv4Address("TCP", target.address(), port));
        client.connector = this;
        server.peer = client;
        client.peer = server;
        server.resetLimit = sim.resetAfter(target);
        client.resetLimit = sim.resetAfter(host);
        server.sendEstablished(client, this, thisAttempt);
        Protocol protocol = null;
        try {
            protocol = listening.factory.buildProtocol(server.getPeer());
        } catch (Throwable e) {
            target.logError(e, "Unhandled error in " + listening.factory.getClass().getName() + " (buildProtocol):");
        }
        if (protocol == null) {
            server.abandon(false);
        } else {
            server.start(protocol);
        }
    }

    private void refused(int thisAttempt) {
        if (current(thisAttempt)) {
            failed(new ConnectionRefusedException(new ConnectException("Connection refused (simulated host "
                    + destinationHost + ", port " + port + ")")));
        }
    }

    /** On this host: the connection is established. */
    void established(SimConnection client, int thisAttempt) {
        if (!current(thisAttempt)) {
            client.abandon(true); // timed out or stopped meanwhile: the server's end is reset
            return;
        }
        cancelTimeout();
        Protocol protocol;
        try {
            protocol = factory.buildProtocol(client.getPeer());
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + factory.getClass().getName() + " (buildProtocol):");
            client.abandon(false);
            failed(new ConnectionFailedException("buildProtocol failed: " + e, e));
            return;
        }
        if (protocol == null) {
            client.abandon(false);
            failed(new ConnectionFailedException("the factory refused the connection (buildProtocol returned null)"));
            return;
        }
        state = State.CONNECTED;
        host.connectors.remove(this);
        connection = client;
        client.start(protocol);
    }

    private void failed(Throwable reason) {
        cancelTimeout();
        state = State.DISCONNECTED;
        host.connectors.remove(this);
        if (host.sim().tracing()) {
            host.sim().trace(host, "connect failed " + reason.getClass().getSimpleName());
        }
        try {
            factory.clientConnectionFailed(this, new Failure(reason));
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + factory.getClass().getName() + " (clientConnectionFailed):");
        }
        stopFactoryIfIdle();
    }

    /** The connection this attempt made is closed (its protocol has heard connectionLost). */
    void connectionClosed(Failure reason) {
        connection = null;
        state = State.DISCONNECTED;
        try {
            factory.clientConnectionLost(this, reason);
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + factory.getClass().getName() + " (clientConnectionLost):");
        }
        stopFactoryIfIdle();
    }

    /** The host stopped while connecting. */
    void dropped(Throwable reason) {
        if (state == State.CONNECTING) {
            failed(reason);
        }
    }

    private void stopFactoryIfIdle() {
        if (state == State.DISCONNECTED && factoryStarted) {
            factoryStarted = false;
            try {
                factory.doStop();
            } catch (Throwable e) {
                host.logError(e, "Unhandled error in " + factory.getClass().getName() + " (doStop):");
            }
        }
    }

    private void cancelTimeout() {
        if (timeoutCall != null) {
            if (timeoutCall.isActive()) {
                timeoutCall.cancel();
            }
            timeoutCall = null;
        }
    }

    @Override
    public void stopConnecting() {
        host.checkThread();
        if (state != State.CONNECTING) {
            throw new IllegalStateException("we're not trying to connect (" + destination + " is " + state + ")");
        }
        failed(new ConnectCancelledException());
    }

    @Override
    public void disconnect() {
        host.checkThread();
        if (state == State.CONNECTING) {
            stopConnecting();
        } else if (state == State.CONNECTED && connection != null) {
            connection.loseConnection();
        }
    }

    @Override
    public Address getDestination() {
        return destination;
    }

    @Override
    public String toString() {
        return "SimConnector[" + host.name() + " -> " + destinationHost + ":" + port + " " + state + "]";
    }
}
