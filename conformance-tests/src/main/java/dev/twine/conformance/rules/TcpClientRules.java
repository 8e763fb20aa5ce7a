package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingClientFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.ConnectionRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.FastPoetryServer;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ConnectTimeoutException;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.DnsLookupException;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Connecting over TCP: Twisted's test_tcp, the client half, with the fake servers as peers. */
public class TcpClientRules extends RuleSet {

    /** A fake server that takes a connection and says nothing, and never closes; it records what it is sent. */
    static ChaosServer sink() {
        return FakeServers.chaos(Net.LOOPBACK, FakeServers.closedPort()).neverAnswer().start();
    }

    /** The sink's record of its first connection once the client has closed its side (cleanly or not). */
    static ConnectionRecord closedBy(ChaosServer sink) {
        return sink.await(r -> r.connectionCount() >= 1 && (r.connection(1).peerHalfClosed()
                || r.connection(1).ending() != Ending.OPEN), Duration.ofSeconds(10)).connection(1);
    }

    @Rule(id = "TCP-11", capability = Capability.TCP, value = "connectTCP calls the factory's doStart, "
            + "startedConnecting, then buildProtocol with the server's address, then the protocol's connectionMade")
    @TrialTest
    void connectingCallsBackInOrder(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        try (ChaosServer server = sink()) {
            Rut.run(test, reactor -> {
                reactor.connectTCP(Net.LOOPBACK, server.port(), client);
                return client.built.addDeferredCallback(protocol -> protocol.connected).addCallback(protocol -> {
                    protocol.transport().loseConnection();
                    return null;
                });
            });
            assertThat(client.events).startsWith("doStart", "startedConnecting", "buildProtocol");
            assertThat(client.protocols.get(0).events).startsWith("connectionMade");
            assertThat(client.builtFor).isEqualTo(new IPv4Address("TCP", "127.0.0.1", server.port()));
        }
    }

    @Rule(id = "TCP-12", capability = Capability.TCP, value = "connecting to a port nobody listens on fails promptly: "
            + "clientConnectionFailed with ConnectionRefusedException")
    @TrialTest
    void aClosedPortRefuses(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        long start = System.nanoTime();
        Throwable reason = Rut.run(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, FakeServers.closedPort(), client);
            return client.failed;
        });
        assertThat(reason).isInstanceOf(ConnectionRefusedException.class);
        assertThat((System.nanoTime() - start) / 1e9).as("seconds until it failed").isLessThan(5.0);
        assertThat(client.events).doesNotContain("buildProtocol");
    }

    @Rule(id = "TCP-13", capability = Capability.TCP, value = "a connection attempt that gets no answer fails with "
            + "ConnectTimeoutException once its timeout passes")
    @TrialTest
    void anUnansweredAttemptTimesOut(TrialContext test) throws IOException {
        // A listening socket whose accept queue is full drops new SYNs, so the attempt hangs.
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress(Net.LOOPBACK, 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    s.connect(full.getLocalSocketAddress(), 200);
                }
            } catch (IOException alreadyFull) {
                // the queue filled sooner
            }
            try {
                RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
                Throwable reason = Rut.run(test, reactor -> {
                    reactor.connectTCP(Net.LOOPBACK, full.getLocalPort(), client, Duration.ofMillis(200), null);
                    return client.failed;
                });
                assertThat(reason).isInstanceOf(ConnectTimeoutException.class);
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Rule(id = "TCP-14", capability = Capability.TCP, value = "stopConnecting() during an attempt fails it with "
            + "ConnectCancelledException; calling it again throws IllegalStateException")
    @TrialTest
    void stopConnectingCancelsTheAttempt(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        try (ChaosServer server = sink()) {
            Throwable reason = Rut.run(test, reactor -> {
                Connector connector = reactor.connectTCP(Net.LOOPBACK, server.port(), client);
                connector.stopConnecting();
                assertThatThrownBy(connector::stopConnecting).isInstanceOf(IllegalStateException.class);
                return client.failed;
            });
            assertThat(reason).isInstanceOf(ConnectCancelledException.class);
            assertThat(client.events).doesNotContain("buildProtocol");
        }
    }

    @Rule(id = "TCP-15", capability = Capability.TCP, value = "a host name that does not resolve fails the attempt with "
            + "DnsLookupException")
    @TrialTest
    void anUnknownHostFailsTheLookup(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = Rut.run(test, reactor -> {
            reactor.connectTCP("no-such-host.invalid", 80, client);
            return client.failed;
        });
        assertThat(reason).isInstanceOf(DnsLookupException.class);
    }

    @Rule(id = "TCP-16", capability = Capability.TCP, value = "when the server closes, the protocol hears connectionLost "
            + "with ConnectionDone before the factory hears clientConnectionLost")
    @TrialTest
    void theProtocolHearsTheCloseBeforeTheFactory(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        try (FastPoetryServer server = FakeServers.fastPoetry("a short poem\n").start()) {
            List<String> order = new ArrayList<>();
            Rut.run(test, reactor -> {
                reactor.connectTCP(Net.LOOPBACK, server.port(), client);
                return client.built.addDeferredCallback(protocol -> protocol.lost.addCallback(reason -> {
                    order.add("protocol: " + reason.getClass().getSimpleName() + ", factory told yet: "
                            + client.lost.isCalled());
                    return null;
                })).addDeferredCallback(ignored -> client.lost);
            });
            assertThat(order).containsExactly("protocol: ConnectionDone, factory told yet: false");
            assertThat(client.events).endsWith("clientConnectionLost:ConnectionDone", "doStop");
            assertThat(client.protocols.get(0).text()).isEqualTo("a short poem\n");
        }
    }

    @Rule(id = "TCP-17", capability = Capability.TCP, value = "a client factory hears doStart before its attempt and "
            + "doStop once it is over, once each")
    @TrialTest
    void theClientFactoryStartsAndStopsOnce(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Rut.run(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, FakeServers.closedPort(), client);
            return client.failed.addDeferredCallback(ignored -> Poll.sleep(reactor, Duration.ofMillis(10)));
        });
        assertThat(client.events.stream().filter(e -> e.equals("doStart")).count()).as("doStart calls").isEqualTo(1);
        assertThat(client.events.stream().filter(e -> e.equals("doStop")).count()).as("doStop calls").isEqualTo(1);
        assertThat(client.events.get(0)).isEqualTo("doStart");
        assertThat(client.events.get(client.events.size() - 1)).isEqualTo("doStop");
    }

    @Rule(id = "TCP-18", capability = Capability.TCP, value = "connector.disconnect() closes the connection cleanly")
    @TrialTest
    void disconnectClosesTheConnection(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        try (ChaosServer server = sink()) {
            Throwable reason = Rut.run(test, reactor -> {
                Connector connector = reactor.connectTCP(Net.LOOPBACK, server.port(), client);
                return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                    connector.disconnect();
                    return protocol.lost;
                });
            });
            assertThat(reason).isInstanceOf(ConnectionDone.class);
            ConnectionRecord seen = closedBy(server);
            assertThat(seen.peerHalfClosed()).as("the server read end of stream").isTrue();
            assertThat(seen.ending()).as("how the server saw it end").isNotEqualTo(Ending.RESET_BY_PEER);
        }
    }

    @Rule(id = "TCP-19", capability = Capability.TCP, value = "connector.connect() after a failed attempt tries again")
    @TrialTest
    void aConnectorCanTryAgain(TrialContext test) throws IOException {
        int port = FakeServers.closedPort();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        FastPoetryServer[] server = new FastPoetryServer[1];
        try {
            String text = Rut.run(test, reactor -> {
                Connector connector = reactor.connectTCP(Net.LOOPBACK, port, client);
                return client.failed.addDeferredCallback(refused -> {
                    server[0] = FakeServers.fastPoetry("second time lucky\n").port(port).start();
                    connector.connect();
                    return client.built;
                }).addDeferredCallback(protocol -> protocol.lost.addCallback(ignored -> protocol.text()));
            });
            assertThat(text).isEqualTo("second time lucky\n");
        } finally {
            if (server[0] != null) {
                server[0].close();
            }
        }
    }

    @Rule(id = "TCP-20", capability = Capability.TCP, value = "getDestination() names the address the connector connects to")
    @TrialTest
    void theConnectorNamesItsDestination(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        int port = FakeServers.closedPort();
        Address destination = Rut.run(test, reactor -> {
            Connector connector = reactor.connectTCP(Net.LOOPBACK, port, client);
            return client.failed.addCallback(ignored -> connector.getDestination());
        });
        assertThat(destination).isEqualTo(new IPv4Address("TCP", "127.0.0.1", port));
    }
}
