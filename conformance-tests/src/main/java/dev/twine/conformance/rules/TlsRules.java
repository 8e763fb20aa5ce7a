package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Echo;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingClientFactory;
import dev.twine.conformance.harness.RecordingServerFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.conformance.harness.Tls;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.TlsTransport;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorTLS;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** TLS: listen, connect and startTLS, with the JDK's own TLS sockets as peers. */
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
    void serveOverTls(TrialContext test) throws Exception {
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        byte[] data = Bytes.utf8("a secret");
        byte[] echoed = Rut.run(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
            return Poll.future(reactor, jdkClient(Net.port(port), data, data.length));
        });
        assertThat(new String(echoed, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a secret");
    }

    @Rule(id = "TLS-02", capability = Capability.TLS, value = "connectSSL reaches a TLS server, checks its certificate "
            + "against the context, and exchanges bytes")
    @TrialTest
    void connectOverTls(TrialContext test) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) Tls.server().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName(Net.LOOPBACK))) {
            CompletableFuture<String> peer = Peer.run("tls-server", () -> {
                try (Socket accepted = server.accept()) {
                    accepted.setSoTimeout(20_000);
                    String request = new String(readFully(accepted.getInputStream(), 4), java.nio.charset.StandardCharsets.UTF_8);
                    OutputStream out = accepted.getOutputStream();
                    out.write(Bytes.utf8("answer to " + request));
                    out.flush();
                    return request;
                }
            });
            RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
            String text = Rut.run(test, reactor -> {
                tls(reactor).connectSSL("localhost", server.getLocalPort(), client, Tls.trustingClient(),
                        Duration.ofSeconds(10), null);
                return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                    protocol.send("ping");
                    return protocol.receivedAtLeast(14).addCallback(ignored -> {
                        protocol.transport().loseConnection();
                        return protocol.text();
                    });
                });
            });
            assertThat(text).isEqualTo("answer to ping");
            assertThat(peer.get()).isEqualTo("ping");
        }
    }

    @Rule(id = "TLS-03", capability = Capability.TLS, value = "4 MiB written over TLS arrive whole and in order")
    @TrialTest
    void aLargeTransferOverTls(TrialContext test) throws Exception {
        byte[] data = Bytes.pattern(4 * 1024 * 1024);
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        byte[] echoed = Rut.run(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
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
        });
        assertThat(echoed).as(Bytes.describe(data, echoed)).isEqualTo(data);
    }

    @Rule(id = "TLS-04", capability = Capability.TLS, value = "startTLS switches a live TCP connection to TLS; what is "
            + "written after it is encrypted")
    @TrialTest
    void startTlsOnALiveConnection(TrialContext test) throws Exception {
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
        String answer = Rut.run(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            CompletableFuture<String> client = Peer.run("starttls-client", () -> {
                try (Socket plain = new Socket(Net.LOOPBACK, Net.port(port))) {
                    plain.setSoTimeout(20_000);
                    plain.getOutputStream().write(Bytes.utf8("STARTTLS\n"));
                    String ok = new String(readFully(plain.getInputStream(), 3), java.nio.charset.StandardCharsets.UTF_8);
                    if (!ok.equals("OK\n")) {
                        return "the server answered " + ok;
                    }
                    try (SSLSocket secure = (SSLSocket) Tls.trustingClient().getSocketFactory()
                            .createSocket(plain, Net.LOOPBACK, plain.getPort(), true)) {
                        secure.setUseClientMode(true);
                        secure.getOutputStream().write(Bytes.utf8("hello\n"));
                        secure.getOutputStream().flush();
                        return new String(readFully(secure.getInputStream(), 22), java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
            });
            return Poll.future(reactor, client);
        });
        assertThat(answer).isEqualTo("encrypted echo: hello\n");
    }

    @Rule(id = "TLS-05", capability = Capability.TLS, value = "a handshake that fails (a certificate the client does not "
            + "trust) closes the connection with a ConnectionLost reason naming TLS")
    @TrialTest
    void aFailedHandshakeClosesWithTheReason(TrialContext test) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        Throwable reason = Rut.run(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
            tls(reactor).connectSSL("localhost", Net.port(port), client, Tls.refusingClient(), Duration.ofSeconds(10), null);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                protocol.send("never sent in clear");
                return client.lost;
            });
        });
        assertThat(reason).isInstanceOf(ConnectionLost.class);
        assertThat(reason.toString()).containsIgnoringCase("TLS");
    }

    @Rule(id = "TLS-06", capability = Capability.TLS, value = "loseConnection over TLS sends every byte written, then "
            + "closes: the peer reads them all, then end of stream")
    @TrialTest
    void loseConnectionOverTlsFlushes(TrialContext test) throws Exception {
        byte[] data = Bytes.pattern(1024 * 1024);
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().write(data);
                transport().loseConnection();
            }
        });
        String seen = Rut.run(test, reactor -> {
            ListeningPort port = tls(reactor).listenSSL(0, factory, Tls.server(), 50, Net.LOOPBACK);
            CompletableFuture<String> client = Peer.run("tls-reader", () -> {
                try (SSLSocket socket = (SSLSocket) Tls.trustingClient().getSocketFactory()
                        .createSocket(Net.LOOPBACK, Net.port(port))) {
                    socket.setSoTimeout(20_000);
                    byte[] got = readFully(socket.getInputStream(), data.length);
                    int after = socket.getInputStream().read();
                    return (java.util.Arrays.equals(got, data) ? "all " + got.length + " bytes" : Bytes.describe(data, got))
                            + (after < 0 ? ", then end of stream" : ", then more bytes");
                }
            });
            return Poll.future(reactor, client);
        });
        assertThat(seen).isEqualTo("all 1048576 bytes, then end of stream");
    }
}
