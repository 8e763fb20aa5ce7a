package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.conformance.harness.Tls;
import dev.twine.defer.Deferred;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.TlsTransport;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTLS;
import dev.twine.testing.HalfCloseRecorder;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apiguardian.api.API;

/**
 * TLS at the edges the first rules leave open: client-side startTLS, half-close, how the peer's
 * end is told apart from a truncation, the alert a refused certificate sends, a protocol that
 * throws, writeSequence. Found by mutation testing of the built-in reactor (./twine mutation).
 * The peers are the JDK's own TLS sockets.
 */
@API(status = INTERNAL, since = "0.1")
public class TlsEdgeRules extends RuleSet {

    private static ReactorTLS tls(Reactor reactor) {
        if (!(reactor instanceof ReactorTLS tls)) {
            throw new AssertionError("the provider declares TLS but its reactor does not implement ReactorTLS");
        }
        return tls;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads until end of stream; says what came and how it ended. */
    private static String readToEnd(InputStream in) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
            return got.toString(StandardCharsets.UTF_8) + ", then end of stream";
        } catch (IOException e) {
            return got.toString(StandardCharsets.UTF_8) + ", then " + e;
        }
    }

    @Rule(id = "TLS-30", capability = Capability.TLS, value = "startTLS(context, true) turns a live client connection "
            + "into the TLS client of its peer, checking the peer's certificate against the host it connected to")
    @TrialTest
    Deferred<Void> clientSideStartTls(TrialContext test) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(Net.LOOPBACK));
        test.addCleanup(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // the rule is over
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                TlsTransport transport = (TlsTransport) transport();
                if (!transport.isTlsStarted() && text().equals("OK\n")) {
                    received.reset();
                    transport.startTLS(Tls.trustingClient(), true);
                    send("hello\n");
                }
            }
        });
        return Rut.start(test, reactor -> {
            CompletableFuture<String> peer = Peer.run("starttls-server", () -> {
                try (Socket plain = server.accept()) {
                    plain.setSoTimeout(20_000);
                    plain.getOutputStream().write(Bytes.utf8("OK\n"));
                    try (SSLSocket secure = (SSLSocket) Tls.server().getSocketFactory().createSocket(plain, null, true)) {
                        secure.setUseClientMode(false);
                        byte[] hello = secure.getInputStream().readNBytes(6);
                        secure.getOutputStream().write(Bytes.utf8("secure " + text(hello)));
                        secure.getOutputStream().flush();
                        return text(hello);
                    }
                }
            });
            reactor.connectTCP(Net.LOOPBACK, server.getLocalPort(), client);
            return client.built.addDeferredCallback(protocol -> protocol.receivedAtLeast(13)).addDeferredCallback(got ->
                    Poll.future(reactor, peer).addCallback(heard -> List.of(heard, text(got))));
        }).addVoidCallback(both -> {
            assertThat(both.get(0)).as("what the TLS server read after startTLS").isEqualTo("hello\n");
            assertThat(both.get(1)).as("what the client protocol read back over TLS").isEqualTo("secure hello\n");
        });
    }

    /** Over TLS: says hello, then shuts its write side; records the rest. */
    private static final class ShutsItsWriteSide extends HalfCloseRecorder {
        @Override
        public void connectionMade() {
            super.connectionMade();
            send("half");
            ((TlsTransport) transport()).loseWriteConnection();
        }
    }

    @Rule(id = "TLS-31", capability = Capability.TLS, value = "loseWriteConnection over TLS sends what was written, "
            + "then close_notify and end of stream, and the connection still reads what the peer sends")
    @TrialTest
    Deferred<Void> halfCloseOverTls(TrialContext test) {
        RecordingServerFactory<ShutsItsWriteSide> factory = new RecordingServerFactory<>(ShutsItsWriteSide::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
            CompletableFuture<String> peer = Peer.run("tls-half-close", () -> {
                try (SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory()
                        .createSocket(Net.LOOPBACK, Net.port(port))) {
                    socket.setSoTimeout(20_000);
                    String seen = readToEnd(socket.getInputStream());
                    socket.getOutputStream().write(Bytes.utf8("still heard"));
                    socket.getOutputStream().flush();
                    return seen;
                }
            });
            return Poll.future(reactor, peer).addDeferredCallback(seen -> factory.first.addDeferredCallback(p -> p.lost)
                    .addCallback(reason -> seen));
        }).addVoidCallback(seen -> {
            assertThat(seen).as("what the peer read").isEqualTo("half, then end of stream");
            ShutsItsWriteSide protocol = factory.protocols.get(0);
            assertThat(protocol.text()).as("what the protocol read after shutting its write side").isEqualTo("still heard");
            assertThat(protocol.events).as("what the protocol heard").containsExactly("connectionMade",
                    "writeConnectionLost", "dataReceived", "readConnectionLost", "connectionLost:ConnectionDone");
        });
    }

    @Rule(id = "TLS-32", capability = Capability.TLS, value = "a TLS peer that closes with close_notify gives "
            + "ConnectionDone after every byte it sent; one that closes its socket without close_notify gives "
            + "ConnectionLost (a truncation is not a clean close)")
    @TrialTest
    Deferred<Void> cleanCloseAndTruncation(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
            CompletableFuture<Void> clean = Peer.run("tls-clean-close", () -> {
                try (SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory()
                        .createSocket(Net.LOOPBACK, Net.port(port))) {
                    socket.getOutputStream().write(Bytes.utf8("clean"));
                    socket.getOutputStream().flush();
                }
                return null;
            });
            return Poll.future(reactor, clean).addDeferredCallback(ignored -> factory.first.addDeferredCallback(p -> p.lost))
                    .addDeferredCallback(ignored -> {
                        CompletableFuture<Void> truncated = Peer.run("tls-truncation", () -> {
                            try (Socket plain = new Socket(Net.LOOPBACK, Net.port(port))) {
                                SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory()
                                        .createSocket(plain, Net.LOOPBACK, Net.port(port), false);
                                socket.startHandshake();
                                socket.getOutputStream().write(Bytes.utf8("cut"));
                                socket.getOutputStream().flush();
                            } // the plain socket closes; the TLS one never sends close_notify
                            return null;
                        });
                        return Poll.future(reactor, truncated).addDeferredCallback(done -> Poll.until(reactor,
                                () -> factory.protocols.size() == 2)).addDeferredCallback(done -> factory.protocols.get(1).lost);
                    }).addVoidCallback(ignored -> { });
        }).addVoidCallback(ignored -> {
            Recorder clean = factory.protocols.get(0);
            Recorder cut = factory.protocols.get(1);
            assertThat(clean.text()).as("what the cleanly closing peer sent").isEqualTo("clean");
            assertThat(clean.lostReason).as("the reason for the peer's close_notify").isInstanceOf(ConnectionDone.class);
            assertThat(cut.text()).as("what the truncating peer sent").isEqualTo("cut");
            assertThat(cut.lostReason).as("the reason for a close without close_notify")
                    .isInstanceOf(ConnectionLost.class).isNotInstanceOf(ConnectionDone.class);
        });
    }

    @Rule(id = "TLS-33", capability = Capability.TLS, value = "a TLS client that refuses the server's certificate "
            + "tells the server so with an alert: the server's handshake fails on it, not on a bare end of stream")
    @TrialTest
    Deferred<Void> aRefusedCertificateSendsAnAlert(TrialContext test) throws IOException {
        SSLServerSocket server = (SSLServerSocket) Tls.server().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName(Net.LOOPBACK));
        test.addCleanup(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // the rule is over
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            CompletableFuture<String> peer = Peer.run("tls-server", () -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.setSoTimeout(20_000);
                    socket.startHandshake();
                    return "the handshake succeeded";
                } catch (IOException e) {
                    return String.valueOf(e.getMessage());
                }
            });
            tls(reactor).connectSSL(Net.LOOPBACK, server.getLocalPort(), client, Tls.refusingClient(),
                    Duration.ofSeconds(10), null);
            return client.built.addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(reason -> Poll.future(reactor, peer));
        }).addVoidCallback(serverSaw -> {
            assertThat(serverSaw).as("why the server's handshake failed").containsIgnoringCase("alert");
        });
    }

    @Rule(id = "TLS-34", capability = Capability.TLS, value = "a protocol that throws in dataReceived over TLS loses "
            + "its connection with that exception as the reason, and the error is logged")
    @TrialTest
    Deferred<Void> aThrowingTlsProtocolLosesItsConnection(TrialContext test) {
        IllegalStateException thrown = new IllegalStateException("dataReceived failed on purpose");
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                throw thrown;
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
            CompletableFuture<String> peer = Peer.run("tls-client", () -> {
                try (SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory()
                        .createSocket(Net.LOOPBACK, Net.port(port))) {
                    socket.setSoTimeout(20_000);
                    socket.getOutputStream().write(Bytes.utf8("boom"));
                    socket.getOutputStream().flush();
                    return readToEnd(socket.getInputStream());
                }
            });
            return factory.first.addDeferredCallback(p -> p.lost)
                    .addDeferredCallback(reason -> Poll.future(reactor, peer).addCallback(ignored -> reason));
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given").isSameAs(thrown);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "TLS-35", capability = Capability.TLS, value = "writeSequence over TLS sends its pieces in order, "
            + "encrypted, as one write of them all would")
    @TrialTest
    Deferred<Void> writeSequenceOverTls(TrialContext test) {
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pieces.add(Bytes.utf8("piece " + i + ";"));
        }
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().writeSequence(pieces);
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
            CompletableFuture<String> peer = Peer.run("tls-reader", () -> {
                try (SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory()
                        .createSocket(Net.LOOPBACK, Net.port(port))) {
                    socket.setSoTimeout(20_000);
                    return readToEnd(socket.getInputStream());
                }
            });
            return Poll.future(reactor, peer);
        }).addVoidCallback(seen -> {
            assertThat(seen).as("what the peer read").isEqualTo("piece 0;piece 1;piece 2;piece 3;piece 4;, then end of stream");
        });
    }

    @Rule(id = "TLS-36", capability = Capability.TLS, value = "connectSSL returns the attempt's Connector: "
            + "getDestination() names the host and port, and disconnect() closes the connection it made")
    @TrialTest
    Deferred<Void> connectSslReturnsItsConnector(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        dev.twine.reactor.Address[] destination = new dev.twine.reactor.Address[1];
        int[] port = new int[1];
        return Rut.start(test, reactor -> {
            ListeningPort listening = tls(reactor).listenSSL(0, server, Tls.server(), 50, Net.LOOPBACK);
            port[0] = Net.port(listening);
            dev.twine.reactor.Connector connector = tls(reactor).connectSSL(Net.LOOPBACK, port[0], client,
                    Tls.trustingClient(), Duration.ofSeconds(10), null);
            destination[0] = connector == null ? null : connector.getDestination();
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                connector.disconnect();
                return protocol.lost;
            });
        }).addVoidCallback(reason -> {
            assertThat(destination[0]).as("getDestination() of the Connector connectSSL returned")
                    .isEqualTo(new dev.twine.reactor.IPv4Address("TCP", Net.LOOPBACK, port[0]));
            assertThat(reason).as("the reason after disconnect()").isInstanceOf(ConnectionDone.class);
        });
    }

    @Rule(id = "TLS-37", capability = Capability.TLS, value = "loseConnection and loseWriteConnection over TLS send "
            + "close_notify before the end of stream: a TLS client hears ConnectionDone after the one and "
            + "readConnectionLost after the other, not a truncation")
    @TrialTest
    Deferred<Void> closeNotifyIsSent(TrialContext test) {
        // The client is the reactor under test too: TLS-32 holds it to telling close_notify from a truncation.
        boolean[] halfNext = {false};
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> {
            boolean half = halfNext[0];
            halfNext[0] = true;
            return new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    send(half ? "half" : "whole");
                    if (half) {
                        ((TlsTransport) transport()).loseWriteConnection();
                    } else {
                        transport().loseConnection();
                    }
                }
            };
        });
        RecordingClientFactory<Recorder> whole = new RecordingClientFactory<>(Recorder::new);
        RecordingClientFactory<HalfCloseRecorder> half = new RecordingClientFactory<>(HalfCloseRecorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, server, Tls.server(), 50, Net.LOOPBACK);
            tls(reactor).connectSSL(Net.LOOPBACK, Net.port(port), whole, Tls.trustingClient(), Duration.ofSeconds(10), null);
            return whole.built.addDeferredCallback(p -> p.lost).addDeferredCallback(ignored -> {
                tls(reactor).connectSSL(Net.LOOPBACK, Net.port(port), half, Tls.trustingClient(), Duration.ofSeconds(10),
                        null);
                return half.built.addDeferredCallback(p -> p.readLost.addVoidCallback(done -> {
                    p.transport().loseConnection();
                }));
            });
        }).addVoidCallback(ignored -> {
            Recorder first = whole.protocols.get(0);
            assertThat(first.text()).as("what the client read before loseConnection's end").isEqualTo("whole");
            assertThat(first.lostReason).as("the client's reason after the server's loseConnection")
                    .isInstanceOf(ConnectionDone.class);
            HalfCloseRecorder second = half.protocols.get(0);
            assertThat(second.text()).as("what the client read before loseWriteConnection's end").isEqualTo("half");
            assertThat(second.events).as("what the half-closeable client heard").contains("readConnectionLost");
        });
    }

    /** A STARTTLS client: on "OK\n" starts TLS as the client (then tries a second time), says hello, reads the answer. */
    private static final class StartTlsClient extends Recorder {
        private final javax.net.ssl.SSLContext context;
        String secondStart;

        StartTlsClient(javax.net.ssl.SSLContext context) {
            this.context = context;
        }

        @Override
        public void dataReceived(byte[] data) {
            super.dataReceived(data);
            TlsTransport transport = (TlsTransport) transport();
            if (!transport.isTlsStarted() && text().equals("OK\n")) {
                received.reset();
                transport.startTLS(context, true);
                try {
                    transport.startTLS(context, true);
                    secondStart = "a second startTLS did not throw";
                } catch (IllegalStateException expected) {
                    secondStart = "IllegalStateException";
                }
                send("hello\n");
            } else if (transport.isTlsStarted() && text().length() >= 13) {
                transport.loseConnection();
            }
        }
    }

    /** A plain server on {@code iface} that says "OK\n", then takes the server side of TLS and answers one hello. */
    private static ServerSocket startTlsServer(TrialContext test, String iface) {
        ServerSocket server;
        try {
            server = new ServerSocket(0, 1, InetAddress.getByName(iface));
        } catch (IOException e) {
            throw new dev.twine.trial.SkipTest(TcpFaultRules.NOT_CHECKABLE + "cannot listen on " + iface + " ("
                    + e.getMessage() + ")");
        }
        test.addCleanup(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // the rule is over
            }
        });
        return server;
    }

    private static CompletableFuture<String> answerStartTls(ServerSocket server, javax.net.ssl.SSLContext context) {
        return Peer.run("starttls-server", () -> {
            try (Socket plain = server.accept()) {
                plain.setSoTimeout(20_000);
                plain.getOutputStream().write(Bytes.utf8("OK\n"));
                try (SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true)) {
                    secure.setUseClientMode(false);
                    byte[] hello = secure.getInputStream().readNBytes(6);
                    secure.getOutputStream().write(Bytes.utf8("secure " + text(hello)));
                    secure.getOutputStream().flush();
                    return "read " + text(hello);
                } catch (IOException e) {
                    return "handshake failed: " + e;
                }
            }
        });
    }

    @Rule(id = "TLS-38", capability = Capability.TLS, value = "startTLS(context, true) checks the peer's certificate "
            + "against the address the connection reached, IPv6 too: the suite's certificate is accepted over ::1, "
            + "which it names; one that names only 127.0.0.1 is refused over ::1, and the suite's is refused over "
            + "127.0.0.2 (connectionLost with a ConnectionLost caused by an SSLException, nothing read); a second "
            + "startTLS on a connection throws IllegalStateException")
    @TrialTest
    Deferred<Void> clientStartTlsChecksTheAddress(TrialContext test) {
        record Attempt(String host, ServerSocket server, javax.net.ssl.SSLContext serverSide,
                RecordingClientFactory<StartTlsClient> client) {
        }
        javax.net.ssl.SSLContext trusting = Tls.trustingClient();
        javax.net.ssl.SSLContext trustingIpv4Only = Tls.trustingIpv4OnlyClient();
        List<Attempt> attempts = List.of(
                new Attempt("::1", startTlsServer(test, "::1"), Tls.server(),
                        new RecordingClientFactory<>(() -> new StartTlsClient(trusting))),
                new Attempt("::1", startTlsServer(test, "::1"), Tls.ipv4OnlyServer(),
                        new RecordingClientFactory<>(() -> new StartTlsClient(trustingIpv4Only))),
                new Attempt(TlsRules.UNNAMED_LOOPBACK, startTlsServer(test, TlsRules.UNNAMED_LOOPBACK), Tls.server(),
                        new RecordingClientFactory<>(() -> new StartTlsClient(trusting))));
        List<Object[]> seen = new ArrayList<>(); // per attempt: what the server saw, why the connection ended
        Tls.warmUp();
        return Rut.start(test, reactor -> {
            Deferred<Void> chain = Deferred.succeed(null);
            for (Attempt attempt : attempts) {
                chain = chain.addDeferredCallback(previous -> {
                    CompletableFuture<String> peer = answerStartTls(attempt.server(), attempt.serverSide());
                    reactor.connectTCP(attempt.host(), attempt.server().getLocalPort(), attempt.client());
                    return attempt.client().built.addDeferredCallback(protocol -> protocol.lost)
                            .addDeferredCallback(reason -> Poll.future(reactor, peer).addVoidCallback(heard -> {
                                seen.add(new Object[] {heard, reason});
                            }));
                });
            }
            return chain;
        }).addVoidCallback(ignored -> {
            StartTlsClient accepted = attempts.get(0).client().protocols.get(0);
            assertThat(seen.get(0)[0]).as("what the TLS server on ::1 read").isEqualTo("read hello\n");
            assertThat(accepted.text()).as("what the client read back over TLS from ::1").isEqualTo("secure hello\n");
            assertThat(accepted.secondStart).as("what a second startTLS did").isEqualTo("IllegalStateException");
            for (int i = 1; i < attempts.size(); i++) {
                Attempt attempt = attempts.get(i);
                String which = i == 1 ? "::1 with a certificate that names only 127.0.0.1"
                        : attempt.host() + " with the suite's certificate, which does not name it";
                Throwable refusal = (Throwable) seen.get(i)[1];
                assertThat(refusal).as("why the connection to %s ended", which).isInstanceOf(ConnectionLost.class);
                assertThat(TlsRules.causes(refusal)).as("the causes of " + refusal + " (" + which + ")")
                        .anyMatch(cause -> cause instanceof javax.net.ssl.SSLException);
                assertThat(seen.get(i)[0]).as("what the TLS server saw (%s)", which).asString()
                        .startsWith("handshake failed");
                assertThat(attempt.client().protocols.get(0).text()).as("what the client read (%s)", which).isEmpty();
            }
        });
    }
}
