package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.Platform;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.ConnectionRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.FastPoetryServer;
import dev.twine.fakes.ServerRecord;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ConnectTimeoutException;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.DnsLookupException;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.task.Tasks;
import dev.twine.testing.CallbackThreads;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/** Connecting over TCP: Twisted's test_tcp, the client half, with the fake servers as peers. */
@API(status = INTERNAL, since = "0.1")
public class TcpClientRules extends RuleSet {

    /** A fake server that takes a connection and says nothing, and never closes; it records what it is sent. */
    static ChaosServer sink() {
        return FakeServers.chaos(Net.LOOPBACK, FakeServers.closedPort()).neverAnswer().start();
    }

    /** A {@link #sink()} closed when the rule ends. */
    static ChaosServer sink(TrialContext test) {
        ChaosServer sink = sink();
        test.addCleanup(sink::close);
        return sink;
    }

    /** Fires, on {@code reactor}, with the sink's record of its first connection once the client has closed its side (cleanly or not). */
    static Deferred<ConnectionRecord> closedBy(dev.twine.reactor.ReactorTime reactor, ChaosServer sink) {
        return Poll.value(reactor, () -> {
            ServerRecord r = sink.record();
            return r.connectionCount() >= 1 && (r.connection(1).peerHalfClosed() || r.connection(1).ending() != Ending.OPEN)
                    ? r.connection(1) : null;
        });
    }

    @Rule(id = "TCP-11", capability = Capability.TCP, value = "connectTCP calls the factory's doStart, "
            + "startedConnecting, then buildProtocol with the server's address, then the protocol's connectionMade, "
            + "all on the reactor thread")
    @TrialTest
    Deferred<Void> connectingCallsBackInOrder(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        ChaosServer server = sink(test);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                protocol.transport().loseConnection();
                return client.lost;
            });
        }).addVoidCallback(ignored -> {
            assertThat(client.events).startsWith("doStart", "startedConnecting", "buildProtocol");
            assertThat(client.protocols.get(0).events).startsWith("connectionMade");
            assertThat(client.builtFor).isEqualTo(new IPv4Address("TCP", "127.0.0.1", server.port()));
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), client.callbacks, client.protocols.get(0).callbacks);
        });
    }

    @Rule(id = "TCP-12", capability = Capability.TCP, value = "connecting to a port nobody listens on fails: "
            + "clientConnectionFailed with ConnectionRefusedException, on the reactor thread")
    @TrialTest
    Deferred<Void> aClosedPortRefuses(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, FakeServers.closedPort(), client);
            return client.failed;
        }).addVoidCallback(reason -> {
            assertThat(reason).isInstanceOf(ConnectionRefusedException.class);
            assertThat(client.events).doesNotContain("buildProtocol");
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), client.callbacks);
        });
    }

    @Rule(id = "TCP-13", capability = Capability.TCP, value = "a connection attempt that gets no answer fails with "
            + "ConnectTimeoutException once its timeout passes, not before")
    @TrialTest
    Deferred<Void> anUnansweredAttemptTimesOut(TrialContext test) throws IOException {
        // A listening socket whose accept queue is full drops new SYNs (on Linux), so the attempt hangs.
        ServerSocket full = new ServerSocket();
        full.bind(new InetSocketAddress(Net.LOOPBACK, 0), 1);
        List<Socket> fillers = new ArrayList<>();
        test.addCleanup(() -> {
            for (Socket s : fillers) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            try {
                full.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        CompletableFuture<Boolean> filled = Peer.run("fill-the-queue", () -> {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(full.getLocalSocketAddress(), 200);
                } catch (java.net.SocketTimeoutException dropped) {
                    return true; // the kernel dropped this SYN: the queue is full
                } catch (IOException refused) {
                    return false; // refused, not dropped: nothing here will hang
                }
            }
            return false;
        });
        Duration timeout = Duration.ofMillis(200);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Poll.future(test.reactor(), filled).addDeferredCallback(dropsSyns -> {
            if (!dropsSyns) {
                throw Platform.cannotCheck("the kernel does not drop connection attempts to a full accept queue, so "
                        + "no attempt goes unanswered");
            }
            return Rut.start(test, reactor -> {
                double start = reactor.seconds();
                reactor.connectTCP(Net.LOOPBACK, full.getLocalPort(), client, timeout, null);
                return client.failed.addVoidCallback(reason -> {
                    double waited = reactor.seconds() - start;
                    assertThat(reason).as("the reason the attempt failed").isInstanceOf(ConnectTimeoutException.class);
                    assertThat(waited).as("seconds from connectTCP to the time-out of an attempt with a 0.2 s timeout: it "
                            + "gave up before its timeout").isGreaterThanOrEqualTo(timeout.toNanos() / 1e9 - 0.002);
                });
            });
        });
    }

    @Rule(id = "TCP-14", capability = Capability.TCP, value = "stopConnecting() during an attempt fails it with "
            + "ConnectCancelledException; calling it again throws IllegalStateException")
    @TrialTest
    Deferred<Void> stopConnectingCancelsTheAttempt(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        ChaosServer server = sink(test);
        return Rut.start(test, reactor -> {
            Connector connector = reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            connector.stopConnecting();
            assertThatThrownBy(connector::stopConnecting).isInstanceOf(IllegalStateException.class);
            return client.failed;
        }).addVoidCallback(reason -> {
            assertThat(reason).isInstanceOf(ConnectCancelledException.class);
            assertThat(client.events).doesNotContain("buildProtocol");
        });
    }

    @Rule(id = "TCP-15", capability = Capability.TCP, value = "a host name that does not resolve fails the attempt with "
            + "DnsLookupException")
    @TrialTest
    Deferred<Void> anUnknownHostFailsTheLookup(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            reactor.connectTCP("no-such-host.invalid", 80, client);
            return client.failed;
        }).addVoidCallback(reason -> {
            assertThat(reason).isInstanceOf(DnsLookupException.class);
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), client.callbacks);
        });
    }

    @Rule(id = "TCP-16", capability = Capability.TCP, value = "when the server closes, the protocol hears connectionLost "
            + "with ConnectionDone before the factory hears clientConnectionLost")
    @TrialTest
    Deferred<Void> theProtocolHearsTheCloseBeforeTheFactory(TrialContext test) throws IOException {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        FastPoetryServer server = FakeServers.fastPoetry("a short poem\n").start();
        test.addCleanup(server::close);
        List<String> order = new ArrayList<>();
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.lost.addVoidCallback(reason -> {
                order.add("protocol: " + reason.getClass().getSimpleName() + ", factory told yet: "
                        + client.lost.isCalled());
            })).addDeferredCallback(ignored -> client.lost);
        }).addVoidCallback(ignored -> {
            assertThat(order).containsExactly("protocol: ConnectionDone, factory told yet: false");
            assertThat(client.events).endsWith("clientConnectionLost:ConnectionDone", "doStop");
            assertThat(client.protocols.get(0).text()).isEqualTo("a short poem\n");
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), client.callbacks, client.protocols.get(0).callbacks);
        });
    }

    @Rule(id = "TCP-17", capability = Capability.TCP, value = "a client factory hears doStart before its attempt and "
            + "doStop once it is over, once each")
    @TrialTest
    Deferred<Void> theClientFactoryStartsAndStopsOnce(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, FakeServers.closedPort(), client);
            return client.failed.addDeferredCallback(ignored -> Tasks.deferLater(reactor, Duration.ofMillis(10)));
        }).addVoidCallback(ignored -> {
            assertThat(client.events.stream().filter(e -> e.equals("doStart")).count()).as("doStart calls").isEqualTo(1);
            assertThat(client.events.stream().filter(e -> e.equals("doStop")).count()).as("doStop calls").isEqualTo(1);
            assertThat(client.events.get(0)).isEqualTo("doStart");
            assertThat(client.events.get(client.events.size() - 1)).isEqualTo("doStop");
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), client.callbacks);
        });
    }

    @Rule(id = "TCP-18", capability = Capability.TCP, value = "connector.disconnect() closes the connection cleanly")
    @TrialTest
    Deferred<Void> disconnectClosesTheConnection(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        ChaosServer server = sink(test);
        Throwable[] reason = new Throwable[1];
        return Rut.start(test, reactor -> {
            Connector connector = reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                connector.disconnect();
                return protocol.lost;
            }).addDeferredCallback(lost -> {
                reason[0] = lost;
                return closedBy(reactor, server);
            });
        }).addVoidCallback(seen -> {
            assertThat(reason[0]).isInstanceOf(ConnectionDone.class);
            assertThat(seen.peerHalfClosed()).as("the server read end of stream").isTrue();
            assertThat(seen.ending()).as("how the server saw it end").isNotEqualTo(Ending.RESET_BY_PEER);
        });
    }

    @Rule(id = "TCP-19", capability = Capability.TCP, value = "connector.connect() after a failed attempt tries again")
    @TrialTest
    Deferred<Void> aConnectorCanTryAgain(TrialContext test) {
        int port = FakeServers.closedPort();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        FastPoetryServer[] server = new FastPoetryServer[1];
        test.addCleanup(() -> {
            if (server[0] != null) {
                server[0].close();
            }
        });
        return Rut.start(test, reactor -> {
            Connector connector = reactor.connectTCP(Net.LOOPBACK, port, client);
            return client.failed.addDeferredCallback(refused -> {
                server[0] = FakeServers.fastPoetry("second time lucky\n").port(port).start();
                connector.connect();
                return client.built;
            }).addDeferredCallback(protocol -> protocol.lost.addCallback(ignored -> protocol.text()));
        }).addVoidCallback(text -> {
            assertThat(text).isEqualTo("second time lucky\n");
        });
    }

    @Rule(id = "TCP-20", capability = Capability.TCP, value = "getDestination() names the address the connector connects to")
    @TrialTest
    Deferred<Void> theConnectorNamesItsDestination(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        int port = FakeServers.closedPort();
        return Rut.start(test, reactor -> {
            Connector connector = reactor.connectTCP(Net.LOOPBACK, port, client);
            return client.failed.addCallback(ignored -> connector.getDestination());
        }).addVoidCallback(destination -> {
            assertThat(destination).isEqualTo(new IPv4Address("TCP", "127.0.0.1", port));
        });
    }
}
