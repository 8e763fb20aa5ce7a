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
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TlsTransport;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorTLS;
import dev.twine.testing.Echo;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apiguardian.api.API;

/** TLS: listen, connect and startTLS, with the JDK's own TLS sockets as peers. */
@API(status = INTERNAL, since = "0.1")
public class TlsRules extends RuleSet {

    private static ReactorTLS tls(dev.twine.reactor.Reactor reactor) {
        if (!(reactor instanceof ReactorTLS tls)) {
            throw new AssertionError("the provider declares TLS but its reactor does not implement ReactorTLS");
        }
        return tls;
    }

    /** A JDK TLS client: sends {@code data}, reads {@code expect} bytes back, closes; returns what it read. */
    private static CompletableFuture<byte[]> jdkClient(int port, byte[] data, int expect) {
        return Peer.run("tls-client", () -> {
            try (SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory().createSocket(Net.LOOPBACK, port)) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(data);
                socket.getOutputStream().flush();
                return readFully(socket.getInputStream(), expect);
            }
        });
    }

    private static byte[] readFully(InputStream in, int expect) throws java.io.IOException {
        byte[] got = new byte[expect];
        int at = 0;
        while (at < expect) {
            int n = in.read(got, at, expect - at);
            if (n < 0) {
                return java.util.Arrays.copyOf(got, at);
            }
            at += n;
        }
        return got;
    }

    @Rule(id = "TLS-01", capability = Capability.TLS, value = "listenSSL serves a TLS client: bytes go both ways "
            + "encrypted and arrive intact")
    @TrialTest
    Deferred<Void> serveOverTls(TrialContext test) {
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        byte[] data = Bytes.utf8("a secret");
        Tls.warmUp();
        SSLContext serverContext = Tls.server();
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, serverContext, 50, Net.LOOPBACK);
            return Poll.future(reactor, jdkClient(Net.port(port), data, data.length));
        }).addVoidCallback(echoed -> {
            assertThat(new String(echoed, StandardCharsets.UTF_8)).as("what the TLS client had echoed").isEqualTo("a secret");
        });
    }

    /** A JDK TLS server on {@code iface} with the suite's certificate: reads 4 bytes, answers, closes; or says why it failed. */
    private static SSLServerSocket jdkServer(TrialContext test, String iface) throws IOException {
        SSLServerSocket server = (SSLServerSocket) Tls.server().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName(iface));
        test.addCleanup(() -> {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return server;
    }

    private static CompletableFuture<String> answerOnce(SSLServerSocket server) {
        return Peer.run("tls-server", () -> {
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(20_000);
                String request = new String(readFully(accepted.getInputStream(), 4), StandardCharsets.UTF_8);
                OutputStream out = accepted.getOutputStream();
                out.write(Bytes.utf8("answer to " + request));
                out.flush();
                return request;
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    /** The address a second TLS server listens on, not named in the suite's certificate (localhost, 127.0.0.1, ::1). */
    static final String UNNAMED_LOOPBACK = "127.0.0.2";

    @Rule(id = "TLS-02", capability = Capability.TLS, value = "connectSSL reaches a TLS server, checks its certificate "
            + "against the context and the host name it was given, and exchanges bytes; a certificate that does not "
            + "name the host is refused")
    @TrialTest
    Deferred<Void> connectOverTls(TrialContext test) throws Exception {
        SSLServerSocket named = jdkServer(test, Net.LOOPBACK);
        CompletableFuture<String> namedPeer = answerOnce(named);
        SSLServerSocket unnamed;
        try {
            unnamed = jdkServer(test, UNNAMED_LOOPBACK);
        } catch (IOException e) {
            throw new SkipTest(TcpFaultRules.NOT_CHECKABLE + "cannot listen on " + UNNAMED_LOOPBACK
                    + ", an address the certificate does not name (" + e.getMessage() + ")");
        }
        CompletableFuture<String> unnamedPeer = answerOnce(unnamed);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> misnamed = new RecordingClientFactory<>(Pinger::new);
        Object[] refused = new Object[1];
        Tls.warmUp();
        return Rut.start(test, reactor -> {
            tls(reactor).connectSSL("localhost", named.getLocalPort(), client, Tls.trustingClient(),
                    Duration.ofSeconds(10), null);
            Deferred<String> exchanged = client.built.addDeferredCallback(protocol -> protocol.connected)
                    .addDeferredCallback(protocol -> {
                        protocol.send("ping");
                        return protocol.receivedAtLeast(14).addCallback(ignored -> {
                            protocol.transport().loseConnection();
                            return protocol.text();
                        });
                    });
            // The same trusted certificate, from an address it does not name: the host name check must refuse it.
            tls(reactor).connectSSL(UNNAMED_LOOPBACK, unnamed.getLocalPort(), misnamed, Tls.trustingClient(),
                    Duration.ofSeconds(10), null);
            Deferred<Void> refusal = ended(reactor, misnamed).addDeferredCallback(reason -> {
                        refused[0] = reason;
                        return Poll.future(reactor, unnamedPeer);
                    }).addVoidCallback(peer -> {
                        refused[0] = refused[0] + "; the server read " + peer;
                    });
            return exchanged.addDeferredCallback(text -> Poll.future(reactor, namedPeer).addDeferredCallback(request ->
                    refusal.addCallback(ignored -> text + " / the server read " + request)));
        }).addVoidCallback(text -> {
            assertThat(text).as("what the client read, and the server").isEqualTo("answer to ping / the server read ping");
            assertThat(misnamed.protocols.isEmpty() ? "" : misnamed.protocols.get(0).text()).as("what the client read from a server whose certificate does "
                    + "not name " + UNNAMED_LOOPBACK + " (the host name was not checked)").isEmpty();
            assertThat(String.valueOf(refused[0])).as("why the connection to a server whose certificate does not name "
                    + UNNAMED_LOOPBACK + " ended, and what that server read (the host name was not checked)")
                    .doesNotContain("ConnectionDone").contains("the server read failed: ");
        });
    }

    @Rule(id = "TLS-03", capability = Capability.TLS, value = "4 MiB written over TLS arrive whole and in order")
    @TrialTest
    Deferred<Void> aLargeTransferOverTls(TrialContext test) {
        byte[] data = Bytes.pattern(4 * 1024 * 1024);
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        Tls.warmUp();
        SSLContext serverContext = Tls.server();
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, serverContext, 50, Net.LOOPBACK);
            CompletableFuture<byte[]> client = Peer.run("tls-bulk", () -> {
                try (SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory()
                        .createSocket(Net.LOOPBACK, Net.port(port))) {
                    socket.setSoTimeout(20_000);
                    CompletableFuture<byte[]> reading = Peer.run("tls-bulk-reader",
                            () -> readFully(socket.getInputStream(), data.length));
                    socket.getOutputStream().write(data);
                    socket.getOutputStream().flush();
                    return reading.get();
                }
            });
            return Poll.future(reactor, client);
        }).addVoidCallback(echoed -> {
            assertThat(echoed).as(Bytes.describe(data, echoed)).isEqualTo(data);
        });
    }

    @Rule(id = "TLS-04", capability = Capability.TLS, value = "startTLS switches a live TCP connection to TLS; what is "
            + "written after it is encrypted")
    @TrialTest
    Deferred<Void> startTlsOnALiveConnection(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                TlsTransport tlsTransport = (TlsTransport) transport();
                if (!tlsTransport.isTlsStarted() && text().equals("STARTTLS\n")) {
                    send("OK\n");
                    tlsTransport.startTLS(Tls.server(), false);
                    received.reset();
                } else if (tlsTransport.isTlsStarted() && text().endsWith("\n")) {
                    send("encrypted echo: " + text());
                    received.reset();
                }
            }
        });
        Tls.warmUp();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            CompletableFuture<String> client = Peer.run("starttls-client", () -> {
                try (Socket plain = new Socket(Net.LOOPBACK, Net.port(port))) {
                    plain.setSoTimeout(20_000);
                    plain.getOutputStream().write(Bytes.utf8("STARTTLS\n"));
                    String ok = new String(readFully(plain.getInputStream(), 3), StandardCharsets.UTF_8);
                    if (!ok.equals("OK\n")) {
                        return "the server answered " + ok;
                    }
                    try (SSLSocket secure = (SSLSocket) Tls.trustingClient().getSocketFactory()
                            .createSocket(plain, Net.LOOPBACK, plain.getPort(), true)) {
                        secure.setUseClientMode(true);
                        secure.getOutputStream().write(Bytes.utf8("hello\n"));
                        secure.getOutputStream().flush();
                        return new String(readFully(secure.getInputStream(), 22), StandardCharsets.UTF_8);
                    }
                }
            });
            return Poll.future(reactor, client);
        }).addVoidCallback(answer -> {
            assertThat(answer).as("what the client read after starting TLS").isEqualTo("encrypted echo: hello\n");
        });
    }

    @Rule(id = "TLS-05", capability = Capability.TLS, value = "a handshake that fails (a server certificate the client "
            + "does not trust) closes the connection: connectionLost with a ConnectionLost caused by an SSLException")
    @TrialTest
    Deferred<Void> aFailedHandshakeClosesWithTheReason(TrialContext test) throws IOException {
        // The server is the JDK's, not the reactor under test: the failure is the client's own.
        SSLServerSocket server = jdkServer(test, Net.LOOPBACK);
        CompletableFuture<String> peer = answerOnce(server);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Pinger::new);
        SSLContext refusing = Tls.refusingClient(); // loads the JDK's authorities: before the rule's clock starts
        Tls.warmUp();
        return Rut.start(test, reactor -> {
            tls(reactor).connectSSL("localhost", server.getLocalPort(), client, refusing, Duration.ofSeconds(10), null);
            return ended(reactor, client).addDeferredCallback(reason -> Poll.future(reactor, peer).addCallback(read -> reason));
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given for a refused certificate")
                    .isInstanceOf(ConnectionLost.class).isNotInstanceOf(ConnectionDone.class);
            assertThat(causes(reason)).as("the causes of that reason: %s", reason).hasAtLeastOneElementOfType(SSLException.class);
            assertThat(client.protocols.isEmpty() ? "" : client.protocols.get(0).text()).as("what the client read").isEmpty();
        });
    }

    /** A client protocol that sends "ping" as soon as it is connected. */
    static final class Pinger extends Recorder {
        @Override
        public void connectionMade() {
            super.connectionMade();
            send("ping");
        }
    }

    /**
     * Fires with the reason a client connection ended: its protocol's connectionLost, or, for a
     * reactor that builds the protocol only once the handshake succeeds, clientConnectionFailed.
     */
    static Deferred<Throwable> ended(dev.twine.reactor.Reactor reactor, RecordingClientFactory<Recorder> client) {
        return Poll.value(reactor, () -> client.failed.isCalled() ? "failed"
                : !client.protocols.isEmpty() && client.protocols.get(0).lost.isCalled() ? "lost" : null)
                .addDeferredCallback(how -> how.equals("failed") ? client.failed : client.protocols.get(0).lost);
    }

    /** {@code error} and its causes, outermost first. */
    static List<Throwable> causes(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    @Rule(id = "TLS-06", capability = Capability.TLS, value = "loseConnection over TLS sends every byte written, then "
            + "close_notify, then closes: the peer reads them all, then TLS's own end of stream")
    @TrialTest
    Deferred<Void> loseConnectionOverTlsFlushes(TrialContext test) {
        byte[] data = Bytes.pattern(1024 * 1024);
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().write(data);
                transport().loseConnection();
            }
        });
        Tls.warmUp();
        SSLContext serverContext = Tls.server();
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, serverContext, 50, Net.LOOPBACK);
            CompletableFuture<Tls.EngineRead> client = Peer.run("tls-reader", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    socket.setSoTimeout(20_000);
                    return Tls.readUntilClosed(Tls.trustingClient(), socket);
                }
            });
            return Poll.future(reactor, client);
        }).addVoidCallback(read -> {
            String bytes = Arrays.equals(read.bytes(), data) ? "all " + data.length + " bytes" : Bytes.describe(data, read.bytes());
            assertThat(bytes + ", then " + read.ending()).as("what a JDK SSLEngine read before the connection ended "
                    + "(no close_notify: the TLS close was not sent)").isEqualTo("all " + data.length + " bytes, then close_notify");
        });
    }

    @Rule(id = "TLS-07", capability = Capability.TLS, value = "a TLS peer that ends the TCP connection without "
            + "close_notify (a truncated stream): the bytes it sent arrive, then connectionLost with ConnectionLost, "
            + "not ConnectionDone")
    @TrialTest
    Deferred<Void> aTruncatedTlsStreamIsConnectionLost(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        Tls.warmUp();
        SSLContext serverContext = Tls.server();
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, serverContext, 50, Net.LOOPBACK);
            Peer.run("tls-truncator", () -> {
                try (Socket plain = new Socket(Net.LOOPBACK, Net.port(port))) {
                    SSLSocket secure = (SSLSocket) Tls.trustingClient().getSocketFactory()
                            .createSocket(plain, Net.LOOPBACK, plain.getPort(), false);
                    secure.setUseClientMode(true);
                    secure.getOutputStream().write(Bytes.utf8("cut short"));
                    secure.getOutputStream().flush();
                    // Closing the plain socket, not the TLS one: end of stream with no close_notify before it.
                }
                return null;
            });
            return factory.first.addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(reason -> {
            assertThat(factory.protocols.get(0).text()).as("what arrived before the TCP connection ended").isEqualTo("cut short");
            assertThat(reason).as("the reason connectionLost was given for a TLS stream cut short without close_notify "
                    + "(a truncation reported as a clean close)").isInstanceOf(ConnectionLost.class)
                    .isNotInstanceOf(ConnectionDone.class);
        });
    }

    /** Writes back what it is given through write(ByteBuffer): over TLS, through dataReceived. */
    private static final class ByteBufferEcho extends dev.twine.protocol.Protocol {
        @Override
        public void dataReceived(byte[] data) {
            transport().write(java.nio.ByteBuffer.wrap(data));
        }
    }

    @Rule(id = "TLS-39", capability = Capability.TLS, value = "write(ByteBuffer) over TLS sends the buffer's bytes "
            + "encrypted, as write(byte[]) does: 64 KiB echoed with it arrive whole and in order")
    @TrialTest
    Deferred<Void> byteBufferWritesOverTls(TrialContext test) {
        byte[] data = Bytes.pattern(64 * 1024);
        Tls.warmUp();
        SSLContext serverContext = Tls.server();
        return Rut.start(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, ProtocolFactory.forProtocol(ByteBufferEcho::new),
                    serverContext, 50, Net.LOOPBACK);
            return Poll.future(reactor, jdkClient(Net.port(port), data, data.length));
        }).addVoidCallback(echoed -> {
            assertThat(echoed).as(Bytes.describe(data, echoed)).isEqualTo(data);
        });
    }
}
