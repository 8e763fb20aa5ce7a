package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static dev.twine.reactor.nio.TcpTest.port;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TlsTransport;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.Echo;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import java.io.InputStream;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class TlsTest {
    private final Harness harness = new Harness();

    /** A server context with the test certificate, and a client context that trusts it. */
    static SSLContext context(boolean server) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls/localhost.p12")) {
            store.load(in, "twine-test".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        if (server) {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "twine-test".toCharArray());
            context.init(keys.getKeyManagers(), null, null);
        } else {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            context.init(null, trust.getTrustManagers(), null);
        }
        return context;
    }

    @Test
    void echoOverTlsIncludingALargeTransfer() throws Exception {
        SSLContext server = context(true);
        SSLContext client = context(false);
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) 't');
        RecordingClientFactory<Recorder> factory = new RecordingClientFactory<>(Recorder::new);
        Integer size = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenSSL(0, ProtocolFactory.forProtocol(Echo::new), server, 50, "127.0.0.1");
            reactor.connectSSL("localhost", port(port), factory, client, Duration.ofSeconds(10), null);
            Recorder protocol = await(factory.built);
            await(protocol.connected);
            assertThat(((TlsTransport) protocol.transport()).isTlsStarted()).isTrue();
            protocol.send("secret");
            assertThat(new String(await(protocol.receivedAtLeast(6)), UTF_8)).isEqualTo("secret");
            protocol.transport().write(big);
            await(protocol.receivedAtLeast(6 + big.length));
            protocol.transport().loseConnection();
            await(factory.lost);
            return protocol.received.size();
        }));
        assertThat(size).isEqualTo(6 + 3 * 1024 * 1024);
    }

    @Test
    void startTlsSwitchesALiveConnection() throws Exception {
        SSLContext server = context(true);
        SSLContext client = context(false);
        RecordingClientFactory<Recorder> factory = new RecordingClientFactory<>(Recorder::new);
        String text = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Recorder() {
                @Override
                public void dataReceived(byte[] data) {
                    super.dataReceived(data);
                    if (text().equals("STARTTLS")) {
                        transport().write("OK".getBytes(UTF_8));
                        ((TlsTransport) transport()).startTLS(server, false);
                        received.reset();
                    } else if (((TlsTransport) transport()).isTlsStarted()) {
                        transport().write(("encrypted echo: " + text()).getBytes(UTF_8));
                        received.reset();
                    }
                }
            }), 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), factory);
            Recorder protocol = await(factory.built);
            await(protocol.connected);
            protocol.send("STARTTLS");
            await(protocol.receivedAtLeast(2));
            protocol.received.reset();
            ((TlsTransport) protocol.transport()).startTLS(client, true);
            protocol.send("hello");
            return new String(await(protocol.receivedAtLeast(21)), UTF_8);
        }));
        assertThat(text).isEqualTo("encrypted echo: hello");
    }

    @Test
    void writesAndACloseMadeBeforeTheHandshakeWaitForIt() throws Exception {
        // Found by the conformance suite (TLS-06): loseConnection in connectionMade stopped reading, so the
        // handshake never finished and the peer saw it cut off instead of the bytes.
        SSLContext server = context(true);
        SSLContext client = context(false);
        RecordingClientFactory<Recorder> factory = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenSSL(0, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write("said before the handshake".getBytes(UTF_8));
                    transport().loseConnection();
                }
            }), server, 50, "127.0.0.1");
            reactor.connectSSL("localhost", port(port), factory, client, Duration.ofSeconds(10), null);
            Recorder protocol = await(factory.built);
            Throwable why = await(protocol.lost);
            assertThat(protocol.text()).isEqualTo("said before the handshake");
            return why;
        }));
        assertThat(reason).isInstanceOf(ConnectionDone.class);
    }

    @Test
    void aFailedHandshakeClosesWithAReasonNamingTls() throws Exception {
        SSLContext server = context(true);
        SSLContext trustsNothing = SSLContext.getInstance("TLS");
        trustsNothing.init(null, new javax.net.ssl.TrustManager[0], null);
        RecordingClientFactory<Recorder> factory = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenSSL(0, ProtocolFactory.forProtocol(Echo::new), server, 50, "127.0.0.1");
            reactor.connectSSL("localhost", port(port), factory, trustsNothing, Duration.ofSeconds(10), null);
            Recorder protocol = await(factory.built);
            await(protocol.connected);
            protocol.send("never sent in clear");
            return await(factory.lost);
        }));
        assertThat(reason).isInstanceOf(ConnectionLost.class).hasMessageContaining("TLS");
    }
}
