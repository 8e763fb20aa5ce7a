package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Conformance;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.ConnectionRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.ServerRecord;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TcpTransport;
import dev.twine.protocol.Transport;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.Echo;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/** What a TCP transport does with writes, addresses and options, checked against fake peers. */
@API(status = INTERNAL, since = "0.1")
public class TcpTransportRules extends RuleSet {

    /**
     * Connects a client to {@code server}, runs {@code onConnect} on its protocol (which must end
     * the connection), and fires with the server's record of the connection once it has ended.
     */
    private static Deferred<ConnectionRecord> sendTo(TrialContext test, ChaosServer server,
            java.util.function.Consumer<Recorder> onConnect) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                onConnect.accept(protocol);
                return protocol.lost;
            }).addDeferredCallback(lost -> TcpClientRules.closedBy(reactor, server));
        });
    }

    @Rule(id = "TCP-21", capability = Capability.TCP, value = "getHost() and getPeer() of a connection name its two ends "
            + "as the peer sees them")
    @TrialTest
    Deferred<Void> addressesNameBothEnds(TrialContext test) {
        ChaosServer server = TcpClientRules.sink(test);
        List<Object> ends = new ArrayList<>();
        return sendTo(test, server, protocol -> {
            ends.add(protocol.transport().getHost());
            ends.add(protocol.transport().getPeer());
            protocol.transport().loseConnection();
        }).addVoidCallback(seen -> {
            assertThat(ends.get(1)).as("getPeer()").isEqualTo(new IPv4Address("TCP", "127.0.0.1", server.port()));
            assertThat(ends.get(0)).as("getHost()").isInstanceOf(IPv4Address.class);
            assertThat("127.0.0.1:" + ((IPv4Address) ends.get(0)).port()).as("getHost() against the server's record of "
                    + "its peer").isEqualTo(seen.peer());
        });
    }

    @Rule(id = "TCP-22", capability = Capability.TCP, value = "write sends exactly the bytes written, in order")
    @TrialTest
    Deferred<Void> writesArriveExactly(TrialContext test) {
        byte[] data = Bytes.pattern(200_000);
        ChaosServer server = TcpClientRules.sink(test);
        return sendTo(test, server, protocol -> {
            for (int at = 0; at < data.length; at += 10_000) {
                protocol.transport().write(java.util.Arrays.copyOfRange(data, at, at + 10_000));
            }
            protocol.transport().loseConnection();
        }).addVoidCallback(seen -> {
            assertThat(seen.received()).as(Bytes.describe(data, seen.received())).isEqualTo(data);
        });
    }

    @Rule(id = "TCP-23", capability = Capability.TCP, value = "writeSequence sends its pieces in order, as one write of "
            + "them all would, with no later write or close to push them out")
    @TrialTest
    Deferred<Void> writeSequenceKeepsOrder(TrialContext test) {
        ChaosServer server = TcpClientRules.sink(test);
        String expected = "first,second,third,fourth,";
        Duration bound = Conformance.ruleLimit(test).dividedBy(2);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                protocol.transport().write(Bytes.utf8("first,"));
                protocol.transport().writeSequence(List.of(Bytes.utf8("second,"), Bytes.utf8("third,"), new byte[0],
                        Bytes.utf8("fourth,")));
                // Nothing else is written and the connection stays open: only writeSequence can send these.
                CompletableFuture<ServerRecord> arrived = server.when(r -> r.connectionCount() >= 1
                        && r.connection(1).received().length >= expected.length());
                Deferred<String> text = Poll.woken(reactor, arrived).addCallback(r -> r.connection(1).receivedText());
                DelayedCall giveUp = reactor.callLater(bound, () -> {
                    if (!text.isCalled()) {
                        text.errback(new Failure(new AssertionError("the pieces given to writeSequence had not reached "
                                + "the peer " + bound.toMillis() + " ms later, with nothing written after them: it got '"
                                + server.record().connection(1).receivedText() + "'")));
                    }
                });
                return text.addBoth((received, failure) -> {
                    if (giveUp.isActive()) {
                        giveUp.cancel();
                    }
                    protocol.transport().loseConnection();
                    if (failure != null) {
                        throw failure.raiseException();
                    }
                    return received;
                });
            });
        }).addVoidCallback(received -> {
            assertThat(received).as("what the peer received").isEqualTo(expected);
        });
    }

    @Rule(id = "TCP-24", capability = Capability.TCP, value = "a single write of 8 MiB arrives whole and in order")
    @TrialTest
    Deferred<Void> aLargeWriteArrivesWhole(TrialContext test) {
        byte[] data = Bytes.pattern(8 * 1024 * 1024);
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write(data);
                    transport().loseConnection();
                }
            }));
            return Poll.woken(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).timeout(Duration.ofSeconds(30))
                    .start().finished());
        }).addVoidCallback(seen -> {
            assertThat(seen.bytesReceived()).as("bytes received").isEqualTo(data.length);
            byte[] kept = seen.received();
            assertThat(kept).as(Bytes.describe(java.util.Arrays.copyOf(data, kept.length), kept))
                    .isEqualTo(java.util.Arrays.copyOf(data, kept.length));
        });
    }

    @Rule(id = "TCP-25", capability = Capability.TCP, value = "bytes a peer sends one at a time all arrive, in order")
    @TrialTest
    Deferred<Void> oneByteSlicesArrive(TrialContext test) {
        byte[] data = Bytes.utf8("sent one byte at a time, with pauses between them");
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.woken(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                    .sendSliced(data, 1, Duration.ofMillis(1)).awaitReceived(data.length).close().start().finished());
        }).addVoidCallback(seen -> {
            assertThat(factory.protocols.get(0).received.toByteArray()).as("what the server received").isEqualTo(data);
            assertThat(seen.received()).as("what came back").isEqualTo(data);
        });
    }

    @Rule(id = "TCP-26", capability = Capability.TCP, value = "a write after loseConnection in the same callback is "
            + "still sent before the close; writes once connectionLost has been called, or after abortConnection, are "
            + "ignored: no exception, nothing sent")
    @TrialTest
    Deferred<Void> writesAfterTheCloseAreIgnored(TrialContext test) {
        List<String> thrown = new ArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (text().startsWith("close")) {
                    send("before;");
                    transport().loseConnection();
                    send("same callback;");
                } else if (text().startsWith("abort")) {
                    transport().abortConnection();
                    write("after abort;");
                }
            }

            private void write(String text) {
                try {
                    send(text);
                } catch (RuntimeException e) {
                    thrown.add(text + " threw " + e);
                }
            }

            @Override
            public void connectionLost(dev.twine.defer.Failure reason) {
                write("after the close;");
                super.connectionLost(reason);
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.woken(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).send("close").start().finished())
                    .addDeferredCallback(closed -> Poll.woken(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                            .send("abort").start().finished()).addCallback(aborted -> List.of(closed, aborted)));
        }).addVoidCallback(seen -> {
            assertThat(thrown).as("writes that threw").isEmpty();
            assertThat(seen.get(0).receivedText()).as("what the peer received of a connection closed with loseConnection")
                    .isEqualTo("before;same callback;");
            assertThat(seen.get(1).receivedText()).as("what the peer received of a connection aborted: a write after "
                    + "abortConnection was sent").doesNotContain("after");
        });
    }

    @Rule(id = "TCP-27", capability = Capability.TCP, value = "write(ByteBuffer) sends the buffer's remaining bytes and "
            + "consumes them")
    @TrialTest
    Deferred<Void> writingAByteBuffer(TrialContext test) {
        ChaosServer server = TcpClientRules.sink(test);
        List<Integer> remaining = new ArrayList<>();
        return sendTo(test, server, protocol -> {
            ByteBuffer buffer = ByteBuffer.wrap(Bytes.utf8("skip|the part after the position|ignored"));
            buffer.position(5).limit(32);
            protocol.transport().write(buffer);
            remaining.add(buffer.remaining());
            protocol.transport().loseConnection();
        }).addVoidCallback(seen -> {
            assertThat(seen.receivedText()).isEqualTo("the part after the position");
            assertThat(remaining).as("bytes left in the buffer").containsExactly(0);
        });
    }

    /**
     * Whether the kernel runs a keepalive timer on the local TCP socket at {@code localPort}, from
     * Linux's /proc/net/tcp (its "tr" column is 2 for the keepalive timer); null where that file
     * is not there.
     */
    static Boolean keepaliveTimer(int localPort) {
        java.nio.file.Path table = java.nio.file.Path.of("/proc/net/tcp");
        if (!java.nio.file.Files.isReadable(table)) {
            return null;
        }
        String local = String.format("0100007F:%04X", localPort);
        try {
            for (String line : java.nio.file.Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 5 && f[1].equals(local) && f[3].equals("01")) { // ESTABLISHED
                    return f[5].startsWith("02:");
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }

    @Rule(id = "TCP-28", capability = Capability.TCP, value = "TCP_NODELAY and SO_KEEPALIVE can be set on a connection "
            + "and read back, and SO_KEEPALIVE reaches the socket")
    @TrialTest
    Deferred<Void> socketOptionsReadBack(TrialContext test) {
        ChaosServer server = TcpClientRules.sink(test);
        List<String> seen = new ArrayList<>();
        return sendTo(test, server, protocol -> {
            TcpTransport tcp = (TcpTransport) protocol.transport();
            int local = Net.port(tcp.getHost());
            tcp.setTcpNoDelay(true);
            tcp.setTcpKeepAlive(true);
            seen.add("nodelay " + tcp.getTcpNoDelay() + ", keepalive " + tcp.getTcpKeepAlive());
            Boolean on = keepaliveTimer(local);
            tcp.setTcpNoDelay(false);
            tcp.setTcpKeepAlive(false);
            seen.add("nodelay " + tcp.getTcpNoDelay() + ", keepalive " + tcp.getTcpKeepAlive());
            Boolean off = keepaliveTimer(local);
            if (on != null && off != null) {
                seen.add("the socket's keepalive timer: " + (on ? "running" : "not running") + " when set, "
                        + (off ? "running" : "not running") + " when cleared");
            }
            tcp.loseConnection();
        }).addVoidCallback(record -> {
            assertThat(seen.subList(0, 2)).containsExactly("nodelay true, keepalive true", "nodelay false, keepalive false");
            if (seen.size() > 2) {
                assertThat(seen.get(2)).as("setTcpKeepAlive did not reach the socket").isEqualTo(
                        "the socket's keepalive timer: running when set, not running when cleared");
            }
        });
    }

    @Rule(id = "TCP-29", capability = Capability.TCP, value = "isDisconnecting() is false on a live connection and true "
            + "once loseConnection or abortConnection has been called")
    @TrialTest
    Deferred<Void> isDisconnectingAfterLoseConnection(TrialContext test) {
        ChaosServer server = TcpClientRules.sink(test);
        Map<String, List<Boolean>> seen = new LinkedHashMap<>();
        return Rut.start(test, reactor -> {
            List<Deferred<Throwable>> lost = new ArrayList<>();
            for (String how : List.of("loseConnection", "abortConnection")) {
                RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
                reactor.connectTCP(Net.LOOPBACK, server.port(), client);
                lost.add(client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                    Transport transport = protocol.transport();
                    List<Boolean> states = new ArrayList<>();
                    states.add(transport.isDisconnecting());
                    if (how.equals("loseConnection")) {
                        transport.loseConnection();
                    } else {
                        transport.abortConnection();
                    }
                    states.add(transport.isDisconnecting());
                    seen.put(how, states);
                    return protocol.lost;
                }));
            }
            return DeferredList.gatherResults(lost);
        }).addVoidCallback(lost -> {
            assertThat(seen).as("isDisconnecting() before and after each call")
                    .containsEntry("loseConnection", List.of(false, true))
                    .containsEntry("abortConnection", List.of(false, true));
        });
    }

    @Rule(id = "TCP-30", capability = Capability.TCP, value = "a connection's transport is a TcpTransport, and its "
            + "protocol's transport() is set before connectionMade")
    @TrialTest
    Deferred<Void> theTransportIsSetBeforeConnectionMade(TrialContext test) {
        List<String> seen = new ArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                seen.add(transport() instanceof TcpTransport ? "a TcpTransport" : String.valueOf(transport()));
                super.connectionMade();
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start().finished());
        }).addVoidCallback(record -> {
            assertThat(seen).containsExactly("a TcpTransport");
        });
    }
}
