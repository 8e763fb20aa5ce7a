package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.conformance.harness.TcpPeers;
import dev.twine.conformance.harness.Tls;
import dev.twine.conformance.harness.TlsClientAuth;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionClosed;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.TlsTransport;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTLS;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apiguardian.api.API;

/**
 * TLS connections as Twisted's reactor and TLS tests hold them: closing from both sides at once,
 * closing before the handshake, a handshake the server refuses, abort, and startTLS on the client.
 * Both ends are the reactor under test unless the rule says otherwise.
 */
@API(status = INTERNAL, since = "0.1")
public class TlsContractRules extends RuleSet {

    private static ReactorTLS tls(Reactor reactor) {
        if (!(reactor instanceof ReactorTLS tls)) {
            throw new AssertionError("the provider declares TLS but its reactor does not implement ReactorTLS");
        }
        return tls;
    }

    /** Listens with {@code server} and connects {@code client} to it over TLS; fires once both protocols have lost their connection. */
    private static Deferred<List<Throwable>> bothEnds(Reactor reactor, SSLContext serverContext,
            RecordingServerFactory<? extends Recorder> server, RecordingClientFactory<? extends Recorder> client) {
        ListeningPort port = tls(reactor).listenSSL(0, server, serverContext, 50, Net.LOOPBACK);
        tls(reactor).connectSSL(Net.LOOPBACK, Net.port(port), client, Tls.trustingClient(), Duration.ofSeconds(30), null);
        Deferred<Throwable> clientLost = client.built.addDeferredCallback(protocol -> protocol.lost);
        Deferred<Throwable> serverLost = server.first.addDeferredCallback(protocol -> protocol.lost);
        return DeferredList.gatherResults(List.of(clientLost, serverLost));
    }

    @Rule(id = "TLS-10", capability = Capability.TLS, value = "both ends of a TLS connection calling loseConnection at "
            + "once: each receives what the other wrote, and both hear ConnectionDone")
    @TrialTest
    Deferred<Void> bothSidesCloseAtOnce(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> closesOnceItHas("from the server",
                "from the client"));
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> closesOnceItHas("from the client",
                "from the server"));
        return Rut.start(test, reactor -> bothEnds(reactor, Tls.server(), server, client)).addVoidCallback(reasons -> {
            assertThat(client.protocols.get(0).text()).as("what the client received").isEqualTo("from the server");
            assertThat(server.protocols.get(0).text()).as("what the server received").isEqualTo("from the client");
            assertThat(reasons.get(0)).as("the client's reason when both ends closed at once").isInstanceOf(ConnectionDone.class);
            assertThat(reasons.get(1)).as("the server's reason when both ends closed at once").isInstanceOf(ConnectionDone.class);
        });
    }

    private static Recorder closesOnceItHas(String says, String expects) {
        return new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send(says);
            }

            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (text().equals(expects)) {
                    transport().loseConnection();
                }
            }
        };
    }

    @Rule(id = "TLS-11", capability = Capability.TLS, value = "loseConnection in connectionMade of a TLS client, before "
            + "the handshake: both ends hear connectionLost, the client with ConnectionDone, and no error is logged")
    @TrialTest
    Deferred<Void> anImmediateDisconnect(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> bothEnds(reactor, Tls.server(), server, client)).addVoidCallback(reasons -> {
            assertThat(reasons.get(0)).as("the client's reason").isInstanceOf(ConnectionDone.class);
            assertThat(reasons.get(1)).as("the server's reason").isInstanceOf(ConnectionClosed.class);
            assertThat(client.protocols.get(0).lostCalls).isEqualTo(1);
            assertThat(server.protocols.get(0).lostCalls).isEqualTo(1);
        });
    }

    @Rule(id = "TLS-12", capability = Capability.TLS, value = "a handshake the server refuses (it requires a client "
            + "certificate the client does not have) closes both ends with a ConnectionLost reason")
    @TrialTest
    Deferred<Void> aHandshakeTheServerRefuses(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("secret");
            }
        });
        return Rut.start(test, reactor -> bothEnds(reactor, TlsClientAuth.requiringClientCertificates(), server, client))
                .addVoidCallback(reasons -> {
                    assertThat(reasons.get(1)).as("the refusing server's reason").isInstanceOf(ConnectionLost.class);
                    assertThat(String.valueOf(reasons.get(1).getMessage())).as("the server's reason names TLS")
                            .containsIgnoringCase("TLS");
                    assertThat(reasons.get(0)).as("the refused client's reason").isInstanceOf(ConnectionLost.class);
                    assertThat(server.protocols.get(0).text()).as("what the refusing server passed to dataReceived")
                            .isEmpty();
                });
    }

    @Rule(id = "TLS-13", capability = Capability.TLS, value = "abortConnection over TLS closes at once: this end hears "
            + "ConnectionAborted, the other ConnectionLost, and nothing written after the abort arrives")
    @TrialTest
    Deferred<Void> abortOverTls(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("ready");
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                byte[] after = new byte[10_000];
                Arrays.fill(after, (byte) 'Y');
                transport().abortConnection();
                transport().write(after);
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> bothEnds(reactor, Tls.server(), server, client)).addVoidCallback(reasons -> {
            assertThat(server.protocols.get(0).received.size()).as("bytes written after abortConnection that reached "
                    + "the other end").isZero();
            assertThat(reasons.get(0)).as("the aborting end's reason").isInstanceOf(ConnectionAborted.class);
            assertThat(reasons.get(1)).as("the other end's reason").isInstanceOf(ConnectionLost.class)
                    .isNotInstanceOf(ConnectionDone.class);
            assertThat(client.protocols.get(0).lostCalls).isEqualTo(1);
        });
    }

    @Rule(id = "TLS-14", capability = Capability.TLS, value = "startTLS as the client switches a live TCP connection "
            + "to TLS: the server's certificate is checked, and what is written after it goes encrypted both ways")
    @TrialTest
    Deferred<Void> startTlsAsTheClient(TrialContext test) {
        ServerSocket listening = TcpPeers.listen();
        test.addCleanup(() -> {
            try {
                listening.close();
            } catch (java.io.IOException e) {
                // the rule is over
            }
        });
        CompletableFuture<String> peer = Peer.run("starttls-server", () -> {
            listening.setSoTimeout(20_000);
            try (Socket plain = listening.accept()) {
                String ask = new String(TcpPeers.readExactly(plain, 9), StandardCharsets.UTF_8);
                if (!ask.equals("STARTTLS\n")) {
                    return "the client asked " + ask;
                }
                plain.getOutputStream().write(Bytes.utf8("OK\n"));
                try (SSLSocket secure = (SSLSocket) Tls.server().getSocketFactory().createSocket(plain, null, true)) {
                    secure.setUseClientMode(false);
                    secure.setSoTimeout(20_000);
                    byte[] line = new byte[6];
                    int at = 0;
                    while (at < line.length) {
                        int n = secure.getInputStream().read(line, at, line.length - at);
                        if (n < 0) {
                            return "end of stream after " + at + " encrypted bytes";
                        }
                        at += n;
                    }
                    secure.getOutputStream().write(Bytes.utf8("encrypted echo: " + new String(line, StandardCharsets.UTF_8)));
                    secure.getOutputStream().flush();
                    return new String(line, StandardCharsets.UTF_8);
                }
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("STARTTLS\n");
            }

            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                TlsTransport transport = (TlsTransport) transport();
                if (!transport.isTlsStarted() && text().equals("OK\n")) {
                    received.reset();
                    transport.startTLS(Tls.trustingClient(), true);
                    send("hello\n");
                } else if (transport.isTlsStarted() && text().equals("encrypted echo: hello\n")) {
                    transport.loseConnection();
                }
            }
        });
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, listening.getLocalPort(), client);
            return Poll.future(reactor, peer).addDeferredCallback(line -> client.built
                    .addDeferredCallback(protocol -> protocol.lost).addCallback(reason -> line));
        }).addVoidCallback(line -> {
            assertThat(line).as("what the TLS server decrypted").isEqualTo("hello\n");
            assertThat(client.protocols.get(0).text()).as("what the client decrypted").isEqualTo("encrypted echo: hello\n");
        });
    }
}
