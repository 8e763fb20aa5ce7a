package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Conformance;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
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
import dev.twine.task.Tasks;
import dev.twine.testing.HalfCloseRecorder;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/** How TCP connections end: loseConnection, abort, resets, half-close; each side's view checked against a fake peer. */
@API(status = INTERNAL, since = "0.1")
public class TcpCloseRules extends RuleSet {

    /**
     * Serves one fake client, whose script {@code script} makes from the port; fires with its
     * record once both ends are closed.
     */
    private static <P extends Recorder> Deferred<ClientRecord> serveOne(TrialContext test,
            RecordingServerFactory<P> factory, java.util.function.UnaryOperator<FakeClient.Builder> script) {
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient client = script.apply(clientOf(Net.port(port))).start();
            return Poll.future(reactor, client.finished()).addDeferredCallback(record -> factory.first
                    .addDeferredCallback(protocol -> protocol.lost).addCallback(ignored -> record));
        });
    }

    private static FakeClient.Builder clientOf(int port) {
        return FakeClient.to(Net.LOOPBACK, port);
    }

    @Rule(id = "TCP-31", capability = Capability.TCP, value = "loseConnection sends every byte written before it, then "
            + "closes cleanly: the peer reads end of stream, not a reset")
    @TrialTest
    Deferred<Void> loseConnectionFlushesThenCloses(TrialContext test) {
        byte[] data = Bytes.pattern(2 * 1024 * 1024);
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().write(data);
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.future(reactor, clientOf(Net.port(port)).start().finished());
        }).addVoidCallback(seen -> {
            assertThat(seen.bytesReceived()).as("bytes the peer received of " + data.length).isEqualTo(data.length);
            byte[] kept = seen.received(); // the fake keeps the first MiB
            byte[] expected = java.util.Arrays.copyOf(data, kept.length);
            assertThat(kept).as(Bytes.describe(expected, kept)).isEqualTo(expected);
            assertThat(seen.ending()).as("how the peer saw the connection end").isEqualTo(Ending.CLOSED_BY_PEER);
        });
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
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given").isInstanceOf(ConnectionDone.class);
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
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given").isInstanceOf(ConnectionDone.class);
            assertThat(client.protocols.get(0).text()).as("what the protocol received").isEqualTo(poem);
        });
    }

    @Rule(id = "TCP-34", capability = Capability.TCP, value = "a peer that resets the connection gives connectionLost "
            + "with ConnectionLost, not ConnectionDone")
    @TrialTest
    Deferred<Void> aResetIsConnectionLost(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return serveOne(test, factory, client -> client.send("then a reset").reset()).addVoidCallback(seen -> {
            assertThat(seen.ending()).as("the fake client's own view").isEqualTo(Ending.RESET_BY_FAKE);
            assertThat(factory.protocols.get(0).lostReason).as("the reason connectionLost was given for a reset")
                    .isInstanceOf(ConnectionLost.class).isNotInstanceOf(ConnectionDone.class);
        });
    }

    @Rule(id = "TCP-35", capability = Capability.TCP, value = "a peer that resets mid-stream: the bytes before the reset "
            + "arrive, then connectionLost with ConnectionLost")
    @TrialTest
    Deferred<Void> aResetMidStreamIsConnectionLost(TrialContext test) throws java.io.IOException {
        int beforeReset = 1000;
        String poem = "x".repeat(100_000);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        FastPoetryServer poet = FakeServers.fastPoetry(poem).start();
        test.addCleanup(poet::close);
        // The chaos server relays exactly the first 1000 bytes, then resets, no sooner than
        // ChaosServer.RESET_GRACE after accepting: the bytes are in this side's socket before the reset.
        ChaosServer server = FakeServers.chaos(poet).resetAfter(beforeReset).start();
        test.addCleanup(server::close);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(reason -> {
            String text = client.protocols.get(0).text();
            assertThat(text.length()).as("bytes the protocol received of the %d the peer sent before its reset (the bytes "
                    + "before the reset were dropped)", beforeReset).isEqualTo(beforeReset);
            assertThat(poem).as("what arrived is the start of what was sent").startsWith(text);
            assertThat(reason).as("the reason connectionLost was given for the reset").isInstanceOf(ConnectionLost.class)
                    .isNotInstanceOf(ConnectionDone.class);
        });
    }

    @Rule(id = "TCP-36", capability = Capability.TCP, value = "abortConnection closes at once, dropping what is "
            + "buffered: this side hears ConnectionAborted, the peer a reset")
    @TrialTest
    Deferred<Void> abortDropsTheBufferAndResets(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        byte[] lots = Bytes.pattern(8 * 1024 * 1024);
        CompletableFuture<Void> go = new CompletableFuture<>();
        String[] peer = new String[1];
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            CompletableFuture<String> reader = Peer.run("reader", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    go.get(30, TimeUnit.SECONDS);
                    InputStream in = socket.getInputStream();
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
        }).addVoidCallback(reason -> {
            assertThat(reason).as("this side's reason").isInstanceOf(ConnectionAborted.class);
            assertThat(peer[0]).as("what the peer saw").startsWith("reset after");
            long got = Long.parseLong(peer[0].replaceAll("\\D+", ""));
            assertThat(got).as("bytes the peer read of the 8 MiB written before the abort").isLessThan(lots.length);
        });
    }

    @Rule(id = "TCP-37", capability = Capability.TCP, value = "abortConnection twice, or after loseConnection, is "
            + "harmless: connectionLost is heard once")
    @TrialTest
    Deferred<Void> abortTwiceIsHarmless(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().loseConnection();
                transport().abortConnection();
                transport().abortConnection();
            }
        });
        return serveOne(test, factory, client -> client).addVoidCallback(seen -> {
            assertThat(factory.protocols.get(0).lostCalls).as("connectionLost calls").isEqualTo(1);
        });
    }

    @Rule(id = "TCP-38", capability = Capability.TCP, value = "connectionLost is called exactly once per connection, "
            + "and nothing is called after it")
    @TrialTest
    Deferred<Void> connectionLostOnce(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            List<Deferred<ClientRecord>> clients = new ArrayList<>();
            clients.add(Poll.future(reactor, clientOf(Net.port(port)).send("a").close().start().finished()));
            clients.add(Poll.future(reactor, clientOf(Net.port(port)).send("b").reset().start().finished()));
            clients.add(Poll.future(reactor, clientOf(Net.port(port)).send("c").halfClose().start().finished()));
            return DeferredList.gatherResults(clients).addDeferredCallback(done -> Poll.until(reactor,
                    () -> factory.protocols.size() == 3 && factory.protocols.stream().allMatch(p -> p.lost.isCalled()))
                    .addDeferredCallback(ignored -> Tasks.deferLater(reactor, Duration.ofMillis(20)))
                    .addCallback(ignored -> done));
        }).addVoidCallback(records -> {
            assertThat(records).hasSize(3);
            for (Recorder protocol : factory.protocols) {
                assertThat(protocol.lostCalls).as("connectionLost calls: %s", protocol.events).isEqualTo(1);
                assertThat(protocol.events.get(protocol.events.size() - 1)).as("the last callback").startsWith("connectionLost");
            }
        });
    }

    @Rule(id = "TCP-39", capability = Capability.TCP, value = "loseConnection(reason) closes in order and the protocol's "
            + "connectionLost hears that reason")
    @TrialTest
    Deferred<Void> loseConnectionWithAReason(TrialContext test) {
        IllegalStateException fault = new IllegalStateException("a malformed frame");
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("goodbye");
                transport().loseConnection(fault);
            }
        });
        return serveOne(test, factory, client -> client).addVoidCallback(seen -> {
            assertThat(factory.protocols.get(0).lost.isCalled()).isTrue();
            assertThat(seen.receivedText()).as("what the peer read before the close").isEqualTo("goodbye");
            assertThat(seen.ending()).as("how the peer saw the connection end").isEqualTo(Ending.CLOSED_BY_PEER);
            assertThat(factory.protocols.get(0).lostReason).as("the reason connectionLost was given").isSameAs(fault);
        });
    }

    @Rule(id = "TCP-40", capability = Capability.TCP, value = "loseWriteConnection sends end of stream only after every "
            + "byte written before it, while the connection still reads; a HalfCloseableProtocol hears writeConnectionLost")
    @TrialTest
    Deferred<Void> loseWriteConnectionHalfCloses(TrialContext test) {
        // Written in the same callback as loseWriteConnection, so it is all in the transport's
        // buffer when the half-close is asked for; more than the socket takes at once.
        byte[] data = Bytes.pattern(1024 * 1024);
        // How long the peer waits for end of stream once it has read every byte: the event that
        // must follow the last byte at once; bounded so that a reactor that never half-closes
        // fails for that reason, not by running out of time.
        Duration endOfStreamWait = Conformance.ruleLimit(test).dividedBy(4);
        CompletableFuture<Void> go = new CompletableFuture<>();
        RecordingServerFactory<HalfCloseRecorder> factory = new RecordingServerFactory<>(() -> new HalfCloseRecorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().write(data);
                ((TcpTransport) transport()).loseWriteConnection();
                go.complete(null);
            }

            @Override
            public void readConnectionLost() {
                super.readConnectionLost();
                if (!events.contains("writeConnectionLost")) {
                    transport().loseConnection(); // never half-closed: end it, the peer has given up
                }
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            CompletableFuture<String> reader = Peer.run("half-close-reader", () -> {
                try (Socket socket = new Socket()) {
                    socket.setReceiveBufferSize(16 * 1024);
                    socket.connect(new InetSocketAddress(Net.LOOPBACK, Net.port(port)), 5000);
                    go.get(30, TimeUnit.SECONDS);
                    String seen = readToEnd(socket, data, endOfStreamWait);
                    try {
                        socket.getOutputStream().write(Bytes.utf8("still heard"));
                        socket.shutdownOutput();
                    } catch (java.io.IOException e) {
                        seen += "; writing back failed: " + e;
                    }
                    return seen;
                }
            });
            return factory.first.addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(lost -> Poll.future(reactor, reader));
        }).addVoidCallback(seen -> {
            HalfCloseRecorder server = factory.protocols.get(0);
            assertThat(seen).as("what the peer read of the %d bytes written before loseWriteConnection", data.length)
                    .isEqualTo("all " + data.length + " bytes, then end of stream");
            assertThat(server.text()).as("what the half-closed side still read").isEqualTo("still heard");
            assertThat(server.events).as("the half-closed side's callbacks").containsSubsequence("writeConnectionLost",
                    "readConnectionLost");
            assertThat(server.lostReason).as("the reason connectionLost was given once both sides had closed")
                    .isInstanceOf(ConnectionDone.class);
        });
    }

    /**
     * Reads from {@code socket} until end of stream, comparing with {@code expected}; says what it
     * read, and how it ended: "all N bytes, then end of stream" when all is well.
     */
    static String readToEnd(Socket socket, byte[] expected, Duration endOfStreamWait) throws java.io.IOException {
        socket.setSoTimeout((int) Math.max(1, endOfStreamWait.toMillis()));
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        int total = 0;
        int firstDifference = -1;
        String end;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int i = 0; i < n && firstDifference < 0; i++) {
                    if (total + i >= expected.length || buffer[i] != expected[total + i]) {
                        firstDifference = total + i;
                    }
                }
                total += n;
            }
            end = total < expected.length ? ", then end of stream before the buffer drained (output was shut early)"
                    : ", then end of stream";
        } catch (java.net.SocketTimeoutException e) {
            end = ", then no end of stream within " + endOfStreamWait.toMillis() + " ms (it did not half-close)";
        } catch (java.net.SocketException e) {
            end = ", then " + e.getMessage();
        }
        String what = total == expected.length && firstDifference < 0 ? "all " + total + " bytes"
                : total + " bytes" + (firstDifference >= 0 ? " differing from byte " + firstDifference : "");
        return what + end;
    }

    @Rule(id = "TCP-41", capability = Capability.TCP, value = "a peer that half-closes: a HalfCloseableProtocol hears "
            + "readConnectionLost and can still write back")
    @TrialTest
    Deferred<Void> aHalfCloseByThePeerReachesAHalfCloseableProtocol(TrialContext test) {
        RecordingServerFactory<HalfCloseRecorder> factory = new RecordingServerFactory<>(() -> new HalfCloseRecorder() {
            @Override
            public void readConnectionLost() {
                super.readConnectionLost();
                send("heard " + text());
                transport().loseConnection();
            }
        });
        return serveOne(test, factory, client -> client.send("question").halfClose()).addVoidCallback(seen -> {
            assertThat(factory.protocols.get(0).events).contains("readConnectionLost");
            assertThat(seen.receivedText()).as("what the half-closing peer read back").isEqualTo("heard question");
            assertThat(seen.ending()).as("how the half-closing peer saw the end").isEqualTo(Ending.CLOSED_BY_FAKE);
            assertThat(seen.finished()).as("the connection ended").isTrue();
        });
    }

    @Rule(id = "TCP-42", capability = Capability.TCP, value = "a peer that half-closes to a protocol that cannot "
            + "half-close: connectionLost with ConnectionDone")
    @TrialTest
    Deferred<Void> aHalfCloseToAPlainProtocolClosesIt(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return serveOne(test, factory, client -> client.send("question").halfClose()).addVoidCallback(seen -> {
            assertThat(factory.protocols.get(0).lostReason).as("the reason connectionLost was given")
                    .isInstanceOf(ConnectionDone.class);
            assertThat(factory.protocols.get(0).text()).isEqualTo("question");
            assertThat(seen.ending()).as("how the half-closing peer saw the end").isEqualTo(Ending.CLOSED_BY_FAKE);
            assertThat(seen.finished()).as("the connection ended").isTrue();
        });
    }
}
