package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.HalfCloseRecorder;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingClientFactory;
import dev.twine.conformance.harness.RecordingServerFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.FastPoetryServer;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How TCP connections end: loseConnection, abort, resets, half-close; each side's view checked against a fake peer. */
public class TcpCloseRules extends RuleSet {

    /** Serves one fake client, whose script {@code script} makes from the port; returns its record once both ends are closed. */
    private static <P extends Recorder> ClientRecord serveOne(TrialContext test, RecordingServerFactory<P> factory,
            java.util.function.UnaryOperator<FakeClient.Builder> script) {
        return Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient client = script.apply(clientOf(Net.port(port))).start();
            return Poll.finished(reactor, client).addDeferredCallback(record -> factory.first
                    .addDeferredCallback(protocol -> protocol.lost).addCallback(ignored -> record));
        });
    }

    private static FakeClient.Builder clientOf(int port) {
        return FakeClient.to(Net.LOOPBACK, port);
    }

    @Rule(id = "TCP-31", capability = Capability.TCP, value = "loseConnection sends every byte written before it, then "
            + "closes cleanly: the peer reads end of stream, not a reset")
    @TrialTest
    void loseConnectionFlushesThenCloses(TrialContext test) {
        byte[] data = Bytes.pattern(2 * 1024 * 1024);
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().write(data);
                transport().loseConnection();
            }
        });
        ClientRecord seen = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.finished(reactor, clientOf(Net.port(port)).start());
        });
        assertThat(seen.bytesReceived()).as("bytes the peer received of " + data.length).isEqualTo(data.length);
        byte[] kept = seen.received(); // the fake keeps the first MiB
        byte[] expected = java.util.Arrays.copyOf(data, kept.length);
        assertThat(kept).as(Bytes.describe(expected, kept)).isEqualTo(expected);
        assertThat(seen.ending()).as("how the peer saw the connection end").isEqualTo(Ending.CLOSED_BY_PEER);
    }

    @Rule(id = "TCP-32", capability = Capability.TCP, value = "after loseConnection the protocol hears connectionLost "
            + "with ConnectionDone")
    @TrialTest
    Deferred<Void> loseConnectionGivesConnectionDone(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            clientOf(Net.port(port)).start();
            return factory.first.addDeferredCallback(protocol -> protocol.lost);
        }).addCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given").isInstanceOf(ConnectionDone.class);
            return null;
        });
    }

    @Rule(id = "TCP-33", capability = Capability.TCP, value = "a peer that closes cleanly gives connectionLost with "
            + "ConnectionDone, after every byte it sent")
    @TrialTest
    Deferred<Void> aCleanCloseByThePeerIsConnectionDone(TrialContext test) throws java.io.IOException {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        String poem = "There was a young lady of Riga\n".repeat(100);
        FastPoetryServer server = FakeServers.fastPoetry(poem).start();
        test.addCleanup(server::close);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.lost);
        }).addCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given").isInstanceOf(ConnectionDone.class);
            assertThat(client.protocols.get(0).text()).as("what the protocol received").isEqualTo(poem);
            return null;
        });
    }

    @Rule(id = "TCP-34", capability = Capability.TCP, value = "a peer that resets the connection gives connectionLost "
            + "with ConnectionLost, not ConnectionDone")
    @TrialTest
    void aResetIsConnectionLost(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        ClientRecord seen = serveOne(test, factory, client -> client.send("then a reset").reset());
        assertThat(seen.ending()).as("the fake client's own view").isEqualTo(Ending.RESET_BY_FAKE);
        assertThat(factory.protocols.get(0).lostReason).isInstanceOf(ConnectionLost.class).isNotInstanceOf(ConnectionDone.class);
    }

    @Rule(id = "TCP-35", capability = Capability.TCP, value = "a peer that resets mid-stream: the bytes before the reset "
            + "arrive, then connectionLost with ConnectionLost")
    @TrialTest
    void aResetMidStreamIsConnectionLost(TrialContext test) {
        String poem = "x".repeat(100_000);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        try (FastPoetryServer poet = FakeServers.fastPoetry(poem).start();
                ChaosServer server = FakeServers.chaos(poet).resetAfter(1000).start()) {
            Throwable reason = Rut.run(test, reactor -> {
                reactor.connectTCP(Net.LOOPBACK, server.port(), client);
                return client.built.addDeferredCallback(protocol -> protocol.lost);
            });
            assertThat(reason).isInstanceOf(ConnectionLost.class).isNotInstanceOf(ConnectionDone.class);
            String text = client.protocols.get(0).text();
            assertThat(text.length()).as("bytes received before the reset").isLessThanOrEqualTo(1000);
            assertThat(poem).startsWith(text);
        }
    }

    @Rule(id = "TCP-36", capability = Capability.TCP, value = "abortConnection closes at once, dropping what is "
            + "buffered: this side hears ConnectionAborted, the peer a reset")
    @TrialTest
    void abortDropsTheBufferAndResets(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        byte[] lots = Bytes.pattern(8 * 1024 * 1024);
        java.util.concurrent.CompletableFuture<Void> go = new java.util.concurrent.CompletableFuture<>();
        String[] peer = new String[1];
        Throwable reason = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            java.util.concurrent.CompletableFuture<String> reader = dev.twine.conformance.harness.Peer.run("reader", () -> {
                try (java.net.Socket socket = new java.net.Socket(Net.LOOPBACK, Net.port(port))) {
                    go.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    java.io.InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    try {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            total += n;
                        }
                        return "end of stream after " + total + " bytes";
                    } catch (java.net.SocketException reset) {
                        return "reset after " + total + " bytes";
                    }
                }
            });
            return factory.firstConnected().addDeferredCallback(protocol -> {
                protocol.transport().write(lots);
                protocol.transport().abortConnection();
                go.complete(null);
                return protocol.lost;
            }).addDeferredCallback(lostWith -> Poll.future(reactor, reader).addCallback(text -> {
                peer[0] = text;
                return lostWith;
            }));
        });
        assertThat(reason).as("this side's reason").isInstanceOf(ConnectionAborted.class);
        assertThat(peer[0]).as("what the peer saw").startsWith("reset after");
        long got = Long.parseLong(peer[0].replaceAll("\\D+", ""));
        assertThat(got).as("bytes the peer read of the 8 MiB written before the abort").isLessThan(lots.length);
    }

    @Rule(id = "TCP-37", capability = Capability.TCP, value = "abortConnection twice, or after loseConnection, is "
            + "harmless: connectionLost is heard once")
    @TrialTest
    void abortTwiceIsHarmless(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().loseConnection();
                transport().abortConnection();
                transport().abortConnection();
            }
        });
        serveOne(test, factory, client -> client);
        assertThat(factory.protocols.get(0).lostCalls).as("connectionLost calls").isEqualTo(1);
    }

    @Rule(id = "TCP-38", capability = Capability.TCP, value = "connectionLost is called exactly once per connection, "
            + "and nothing is called after it")
    @TrialTest
    void connectionLostOnce(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        List<ClientRecord> records = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            List<Deferred<ClientRecord>> clients = new ArrayList<>();
            clients.add(Poll.finished(reactor, clientOf(Net.port(port)).send("a").close().start()));
            clients.add(Poll.finished(reactor, clientOf(Net.port(port)).send("b").reset().start()));
            clients.add(Poll.finished(reactor, clientOf(Net.port(port)).send("c").halfClose().start()));
            return dev.twine.defer.DeferredList.gatherResults(clients).addDeferredCallback(done -> Poll.until(reactor,
                    () -> factory.protocols.size() == 3 && factory.protocols.stream().allMatch(p -> p.lost.isCalled()))
                    .addDeferredCallback(ignored -> Poll.sleep(reactor, Duration.ofMillis(20)))
                    .addCallback(ignored -> done));
        });
        assertThat(records).hasSize(3);
        for (Recorder protocol : factory.protocols) {
            assertThat(protocol.lostCalls).as("connectionLost calls: %s", protocol.events).isEqualTo(1);
            assertThat(protocol.events.get(protocol.events.size() - 1)).startsWith("connectionLost");
        }
    }

    @Rule(id = "TCP-39", capability = Capability.TCP, value = "loseConnection(reason) closes in order and the protocol's "
            + "connectionLost hears that reason")
    @TrialTest
    void loseConnectionWithAReason(TrialContext test) {
        IllegalStateException fault = new IllegalStateException("a malformed frame");
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("goodbye");
                transport().loseConnection(fault);
            }
        });
        ClientRecord seen = serveOne(test, factory, client -> client);
        assertThat(factory.protocols.get(0).lost.isCalled()).isTrue();
        assertThat(seen.receivedText()).isEqualTo("goodbye");
        assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
        assertThat(factory.protocols.get(0).lostReason).isSameAs(fault);
    }

    @Rule(id = "TCP-40", capability = Capability.TCP, value = "loseWriteConnection sends end of stream while the "
            + "connection still reads; a HalfCloseableProtocol hears writeConnectionLost")
    @TrialTest
    void loseWriteConnectionHalfCloses(TrialContext test) {
        RecordingServerFactory<HalfCloseRecorder> factory = new RecordingServerFactory<>(() -> new HalfCloseRecorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("all I will say");
                ((TcpTransport) transport()).loseWriteConnection();
            }
        });
        ClientRecord seen = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient client = clientOf(Net.port(port)).awaitReceived(14).pause(Duration.ofMillis(20))
                    .send("still heard").close().start();
            return factory.first.addDeferredCallback(protocol -> protocol.receivedAtLeast(11)
                    .addDeferredCallback(ignored -> protocol.lost)).addDeferredCallback(ignored -> Poll.finished(reactor, client));
        });
        HalfCloseRecorder server = factory.protocols.get(0);
        assertThat(seen.serverHalfClosed()).as("the peer read end of stream").isTrue();
        assertThat(seen.receivedText()).isEqualTo("all I will say");
        assertThat(server.text()).as("what the half-closed side still read").isEqualTo("still heard");
        assertThat(server.events).contains("writeConnectionLost");
    }

    @Rule(id = "TCP-41", capability = Capability.TCP, value = "a peer that half-closes: a HalfCloseableProtocol hears "
            + "readConnectionLost and can still write back")
    @TrialTest
    void aHalfCloseByThePeerReachesAHalfCloseableProtocol(TrialContext test) {
        RecordingServerFactory<HalfCloseRecorder> factory = new RecordingServerFactory<>(() -> new HalfCloseRecorder() {
            @Override
            public void readConnectionLost() {
                super.readConnectionLost();
                send("heard " + text());
                transport().loseConnection();
            }
        });
        ClientRecord seen = serveOne(test, factory, client -> client.send("question").halfClose());
        assertThat(factory.protocols.get(0).events).contains("readConnectionLost");
        assertThat(seen.receivedText()).isEqualTo("heard question");
        assertThat(seen.ending()).as("how the half-closing peer saw the end").isEqualTo(Ending.CLOSED_BY_FAKE);
        assertThat(seen.finished()).as("the connection ended").isTrue();
    }

    @Rule(id = "TCP-42", capability = Capability.TCP, value = "a peer that half-closes to a protocol that cannot "
            + "half-close: connectionLost with ConnectionDone")
    @TrialTest
    void aHalfCloseToAPlainProtocolClosesIt(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        ClientRecord seen = serveOne(test, factory, client -> client.send("question").halfClose());
        assertThat(factory.protocols.get(0).lostReason).isInstanceOf(ConnectionDone.class);
        assertThat(factory.protocols.get(0).text()).isEqualTo("question");
        assertThat(seen.ending()).as("how the half-closing peer saw the end").isEqualTo(Ending.CLOSED_BY_FAKE);
        assertThat(seen.finished()).as("the connection ended").isTrue();
    }
}
