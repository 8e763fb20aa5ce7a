package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Echo;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingClientFactory;
import dev.twine.conformance.harness.RecordingServerFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.ConnectionRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.Capability;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a TCP transport does with writes, addresses and options, checked against fake peers. */
public class TcpTransportRules extends RuleSet {

    /** Connects a client to {@code server}, runs {@code onConnect} on its protocol, and returns the server's record of the connection once it has ended. */
    private static ConnectionRecord sendTo(TrialContext test, ChaosServer server, java.util.function.Consumer<Recorder> onConnect) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Rut.run(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                onConnect.accept(protocol);
                return protocol.lost;
            });
        });
        return TcpClientRules.closedBy(server);
    }

    @Rule(id = "TCP-21", capability = Capability.TCP, value = "getHost() and getPeer() of a connection name its two ends "
            + "as the peer sees them")
    @TrialTest
    void addressesNameBothEnds(TrialContext test) {
        try (ChaosServer server = TcpClientRules.sink()) {
            List<Object> ends = new ArrayList<>();
            ConnectionRecord seen = sendTo(test, server, protocol -> {
                ends.add(protocol.transport().getHost());
                ends.add(protocol.transport().getPeer());
                protocol.transport().loseConnection();
            });
            assertThat(ends.get(1)).as("getPeer()").isEqualTo(new IPv4Address("TCP", "127.0.0.1", server.port()));
            assertThat(ends.get(0)).as("getHost()").isInstanceOf(IPv4Address.class);
            assertThat("127.0.0.1:" + ((IPv4Address) ends.get(0)).port()).as("getHost() against the server's record of its peer")
                    .isEqualTo(seen.peer());
        }
    }

    @Rule(id = "TCP-22", capability = Capability.TCP, value = "write sends exactly the bytes written, in order")
    @TrialTest
    void writesArriveExactly(TrialContext test) {
        byte[] data = Bytes.pattern(200_000);
        try (ChaosServer server = TcpClientRules.sink()) {
            ConnectionRecord seen = sendTo(test, server, protocol -> {
                for (int at = 0; at < data.length; at += 10_000) {
                    protocol.transport().write(java.util.Arrays.copyOfRange(data, at, at + 10_000));
                }
                protocol.transport().loseConnection();
            });
            assertThat(seen.received()).as(Bytes.describe(data, seen.received())).isEqualTo(data);
        }
    }

    @Rule(id = "TCP-23", capability = Capability.TCP, value = "writeSequence sends its pieces in order, as one write of "
            + "them all would")
    @TrialTest
    void writeSequenceKeepsOrder(TrialContext test) {
        try (ChaosServer server = TcpClientRules.sink()) {
            ConnectionRecord seen = sendTo(test, server, protocol -> {
                protocol.transport().write(Bytes.utf8("first,"));
                protocol.transport().writeSequence(List.of(Bytes.utf8("second,"), Bytes.utf8("third,"), new byte[0],
                        Bytes.utf8("fourth,")));
                protocol.transport().write(Bytes.utf8("fifth"));
                protocol.transport().loseConnection();
            });
            assertThat(seen.receivedText()).isEqualTo("first,second,third,fourth,fifth");
        }
    }

    @Rule(id = "TCP-24", capability = Capability.TCP, value = "a single write of 8 MiB arrives whole and in order")
    @TrialTest
    void aLargeWriteArrivesWhole(TrialContext test) {
        byte[] data = Bytes.pattern(8 * 1024 * 1024);
        ClientRecord seen = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write(data);
                    transport().loseConnection();
                }
            }));
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).timeout(Duration.ofSeconds(30)).start());
        });
        assertThat(seen.bytesReceived()).as("bytes received").isEqualTo(data.length);
        byte[] kept = seen.received();
        assertThat(kept).as(Bytes.describe(java.util.Arrays.copyOf(data, kept.length), kept))
                .isEqualTo(java.util.Arrays.copyOf(data, kept.length));
    }

    @Rule(id = "TCP-25", capability = Capability.TCP, value = "bytes a peer sends one at a time all arrive, in order")
    @TrialTest
    void oneByteSlicesArrive(TrialContext test) {
        byte[] data = Bytes.utf8("sent one byte at a time, with pauses between them");
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        ClientRecord seen = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                    .sendSliced(data, 1, Duration.ofMillis(1)).awaitReceived(data.length).close().start());
        });
        assertThat(factory.protocols.get(0).received.toByteArray()).as("what the server received").isEqualTo(data);
        assertThat(seen.received()).as("what came back").isEqualTo(data);
    }

    @Rule(id = "TCP-26", capability = Capability.TCP, value = "writes after loseConnection are ignored: no exception, "
            + "and nothing more is sent")
    @TrialTest
    void writesAfterTheCloseAreIgnored(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("before;");
                transport().loseConnection();
                send("same callback;");
            }

            @Override
            public void connectionLost(dev.twine.defer.Failure reason) {
                send("after the close;");
                super.connectionLost(reason);
            }
        });
        ClientRecord seen = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start());
        });
        assertThat(seen.receivedText()).isEqualTo("before;same callback;");
    }

    @Rule(id = "TCP-27", capability = Capability.TCP, value = "write(ByteBuffer) sends the buffer's remaining bytes and "
            + "consumes them")
    @TrialTest
    void writingAByteBuffer(TrialContext test) {
        try (ChaosServer server = TcpClientRules.sink()) {
            List<Integer> remaining = new ArrayList<>();
            ConnectionRecord seen = sendTo(test, server, protocol -> {
                ByteBuffer buffer = ByteBuffer.wrap(Bytes.utf8("skip|the part after the position|ignored"));
                buffer.position(5).limit(32);
                protocol.transport().write(buffer);
                remaining.add(buffer.remaining());
                protocol.transport().loseConnection();
            });
            assertThat(seen.receivedText()).isEqualTo("the part after the position");
            assertThat(remaining).as("bytes left in the buffer").containsExactly(0);
        }
    }

    @Rule(id = "TCP-28", capability = Capability.TCP, value = "TCP_NODELAY and SO_KEEPALIVE can be set on a connection "
            + "and read back")
    @TrialTest
    void socketOptionsReadBack(TrialContext test) {
        try (ChaosServer server = TcpClientRules.sink()) {
            List<String> seen = new ArrayList<>();
            sendTo(test, server, protocol -> {
                TcpTransport tcp = (TcpTransport) protocol.transport();
                tcp.setTcpNoDelay(true);
                tcp.setTcpKeepAlive(true);
                seen.add("nodelay " + tcp.getTcpNoDelay() + ", keepalive " + tcp.getTcpKeepAlive());
                tcp.setTcpNoDelay(false);
                tcp.setTcpKeepAlive(false);
                seen.add("nodelay " + tcp.getTcpNoDelay() + ", keepalive " + tcp.getTcpKeepAlive());
                tcp.loseConnection();
            });
            assertThat(seen).containsExactly("nodelay true, keepalive true", "nodelay false, keepalive false");
        }
    }

    @Rule(id = "TCP-29", capability = Capability.TCP, value = "isDisconnecting() is false on a live connection and true "
            + "once loseConnection has been called")
    @TrialTest
    void isDisconnectingAfterLoseConnection(TrialContext test) {
        try (ChaosServer server = TcpClientRules.sink()) {
            List<Boolean> seen = new ArrayList<>();
            sendTo(test, server, protocol -> {
                seen.add(protocol.transport().isDisconnecting());
                protocol.transport().loseConnection();
                seen.add(protocol.transport().isDisconnecting());
            });
            assertThat(seen).containsExactly(false, true);
        }
    }

    @Rule(id = "TCP-30", capability = Capability.TCP, value = "a connection's transport is a TcpTransport, and its "
            + "protocol's transport() is set before connectionMade")
    @TrialTest
    void theTransportIsSetBeforeConnectionMade(TrialContext test) {
        List<String> seen = new ArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                seen.add(transport() instanceof TcpTransport ? "a TcpTransport" : String.valueOf(transport()));
                super.connectionMade();
                transport().loseConnection();
            }
        });
        Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start());
        });
        assertThat(seen).containsExactly("a TcpTransport");
    }
}
