package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static dev.twine.reactor.nio.TcpTest.port;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.HalfCloseRecorder;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ways a connection ends: abort, reset by the peer, half-close, shutdown. */
class TcpCloseTest {
    private final Harness harness = new Harness();

    @Test
    void abortGivesThisSideConnectionAbortedAndThePeerConnectionLost() {
        List<Recorder> servers = new ArrayList<>();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        List<Throwable> reasons = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, a -> {
                Recorder r = new Recorder();
                servers.add(r);
                return r;
            }, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder protocol = await(client.built);
            await(protocol.connected);
            protocol.send("dropped?");
            protocol.transport().abortConnection();
            protocol.transport().abortConnection();
            protocol.transport().loseConnection();
            Throwable mine = await(protocol.lost);
            Throwable theirs = await(servers.get(0).lost);
            return List.of(mine, theirs);
        }));
        assertThat(reasons.get(0)).isInstanceOf(ConnectionAborted.class);
        assertThat(reasons.get(1)).isExactlyInstanceOf(ConnectionLost.class);
    }

    @Test
    void aPeerThatResetsMidStreamGivesConnectionLost() {
        List<Recorder> servers = new ArrayList<>();
        java.util.concurrent.CountDownLatch accepted = new java.util.concurrent.CountDownLatch(1);
        Throwable reason = harness.run(reactor -> {
            ListeningPort port = reactor.listenTCP(0, a -> {
                Recorder r = new Recorder();
                servers.add(r);
                accepted.countDown();
                return r;
            }, 50, "127.0.0.1");
            int p = port(port);
            return reactor.deferToThread(() -> {
                try (Socket raw = new Socket()) {
                    raw.connect(new InetSocketAddress("127.0.0.1", p));
                    raw.getOutputStream().write("half a poem".getBytes(UTF_8));
                    // reset only once the server has the connection, or there is nothing to lose
                    assertThat(accepted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    raw.setSoLinger(true, 0); // close with RST
                }
                return null;
            }).addDeferredCallback(ignored -> servers.get(0).lost);
        });
        assertThat(reason).isExactlyInstanceOf(ConnectionLost.class);
        assertThat(servers.get(0).text()).isIn("half a poem", "");
    }

    /** Answers after the client half-closes: reads a request to end of stream, then replies. */
    static final class ReplyAfterHalfClose extends HalfCloseRecorder {
        @Override
        public void readConnectionLost() {
            super.readConnectionLost();
            send("reply to: " + text());
            transport().loseConnection();
        }
    }

    /** Half-closes after sending its request and reads the reply. */
    static final class HalfClosingClient extends HalfCloseRecorder {
        @Override
        public void connectionMade() {
            super.connectionMade();
            send("request");
            ((TcpTransport) transport()).loseWriteConnection();
        }
    }

    @Test
    void halfCloseBetweenHalfCloseableProtocols() {
        List<ReplyAfterHalfClose> servers = new ArrayList<>();
        RecordingClientFactory<HalfClosingClient> client = new RecordingClientFactory<>(HalfClosingClient::new);
        HalfClosingClient protocol = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, a -> {
                ReplyAfterHalfClose r = new ReplyAfterHalfClose();
                servers.add(r);
                return r;
            }, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            HalfClosingClient c = await(client.built);
            assertThat(await(c.lost)).isInstanceOf(ConnectionDone.class);
            await(servers.get(0).lost);
            return c;
        }));
        assertThat(protocol.text()).isEqualTo("reply to: request");
        assertThat(protocol.events).containsExactly("connectionMade", "writeConnectionLost", "dataReceived",
                "readConnectionLost", "connectionLost:ConnectionDone");
        assertThat(servers.get(0).events).containsExactly("connectionMade", "dataReceived", "readConnectionLost",
                "connectionLost:ConnectionDone");
    }

    @Test
    void aHalfCloseToAProtocolThatCannotHalfCloseClosesItWithConnectionDone() {
        List<Recorder> servers = new ArrayList<>();
        RecordingClientFactory<HalfClosingClient> client = new RecordingClientFactory<>(HalfClosingClient::new);
        Throwable reason = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, a -> {
                Recorder r = new Recorder();
                servers.add(r);
                return r;
            }, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Throwable serverReason = await(servers.isEmpty() ? client.built.addDeferredCallback(c -> servers.get(0).lost)
                    : servers.get(0).lost);
            await(client.lost);
            return serverReason;
        }));
        assertThat(reason).isInstanceOf(ConnectionDone.class);
        assertThat(servers.get(0).text()).isEqualTo("request");
    }

    @Test
    void aPlainSocketPeerSeesTheHalfCloseAsEndOfStream() {
        String reply = harness.run(reactor -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    send("all of it");
                    ((TcpTransport) transport()).loseWriteConnection();
                }

                @Override
                public void dataReceived(byte[] data) {
                    super.dataReceived(data);
                    send("late");
                }
            }), 50, "127.0.0.1");
            int p = port(port);
            return reactor.deferToThread(() -> {
                try (Socket raw = new Socket("127.0.0.1", p)) {
                    InputStream in = raw.getInputStream();
                    String text = new String(in.readAllBytes(), UTF_8);
                    OutputStream out = raw.getOutputStream();
                    out.write("still writable".getBytes(UTF_8));
                    return text;
                }
            });
        });
        assertThat(reply).isEqualTo("all of it");
    }

    @Test
    void stoppingTheReactorLosesEveryConnectionAndPort() {
        List<Recorder> servers = new ArrayList<>();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        NioReactor reactor = harness.reactor;
        harness.run(r -> inlineCallbacks(() -> {
            ListeningPort port = r.listenTCP(0, a -> {
                Recorder s = new Recorder();
                servers.add(s);
                return s;
            }, 50, "127.0.0.1");
            r.connectTCP("127.0.0.1", port(port), client);
            await(await(client.built).connected);
            return null;
        }));
        assertThat(servers).hasSize(1);
        assertThat(servers.get(0).events).last().isEqualTo("connectionLost:ConnectionLost");
        assertThat(client.events).contains("clientConnectionLost:ConnectionLost");
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).isEmpty();
    }
}
