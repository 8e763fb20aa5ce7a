package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.apiguardian.api.API;

/**
 * TLS contexts for the TLS rules: a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1} shipped with the suite (never use it for anything else), a client that trusts
 * it, and a client that trusts only the JDK's authorities and so refuses it.
 */
@API(status = INTERNAL, since = "0.1")
public final class Tls {
    private static final char[] PASSWORD = "twine-test".toCharArray();

    private Tls() {
    }

    /** The server side: the suite's certificate and key. */
    public static SSLContext server() {
        return server(MAIN_STORE);
    }

    /**
     * The server side with a second certificate, which names 127.0.0.1 and nothing else (not
     * {@code localhost}, not {@code ::1}): for host name checks over IPv6. {@link
     * #trustingIpv4OnlyClient()} trusts it.
     */
    public static SSLContext ipv4OnlyServer() {
        return server(IPV4_ONLY_STORE);
    }

    /** A client that trusts {@link #ipv4OnlyServer()}'s certificate (and no other). */
    public static SSLContext trustingIpv4OnlyClient() {
        return trusting(IPV4_ONLY_STORE);
    }

    private static final String MAIN_STORE = "localhost.p12";
    private static final String IPV4_ONLY_STORE = "ipv4-only.p12";

    private static SSLContext server(String file) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store(file), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the suite's TLS certificate could not be loaded", e);
        }
    }

    /** A client that trusts the suite's certificate. */
    public static SSLContext trustingClient() {
        return trusting(MAIN_STORE);
    }

    private static SSLContext trusting(String file) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store(file));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the suite's TLS certificate could not be loaded", e);
        }
    }

    /** A client that trusts only the JDK's certificate authorities, so the handshake with the suite's server fails. */
    public static SSLContext refusingClient() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static volatile boolean warm;

    /**
     * Runs one handshake between two in-memory engines, once per JVM, outside any reactor: the
     * JDK's first TLS handshake loads and compiles much (a second or more on a loaded machine),
     * and a rule's time limit is for the reactor under test, not for that.
     */
    public static void warmUp() {
        if (warm) {
            return;
        }
        try {
            SSLEngine client = trustingClient().createSSLEngine("localhost", 443);
            client.setUseClientMode(true);
            SSLEngine server = server().createSSLEngine();
            server.setUseClientMode(false);
            int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            int appSize = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
            ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
            ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
            ByteBuffer app = ByteBuffer.allocate(appSize);
            ByteBuffer empty = ByteBuffer.allocate(0);
            client.beginHandshake();
            server.beginHandshake();
            for (int round = 0; round < 100 && !(done(client) && done(server)); round++) {
                step(client, empty, toServer, toClient, app);
                step(server, empty, toClient, toServer, app);
            }
        } catch (SSLException | RuntimeException e) {
            // Only a warm-up: the rule itself will meet whatever is wrong.
        }
        warm = true;
    }

    private static boolean done(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || status == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** One engine's turn: runs its tasks, wraps into {@code out}, unwraps from {@code in}. */
    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
            throws SSLException {
        for (int i = 0; i < 8; i++) {
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run();
                }
            } else if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                engine.wrap(empty, out);
            } else if (status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP && in.position() > 0) {
                in.flip();
                engine.unwrap(in, app);
                in.compact();
                app.clear();
            } else {
                return;
            }
        }
    }

    /**
     * What a TLS client built on a JDK {@link SSLEngine} read over a plain socket, and how the
     * stream ended: with the peer's close_notify ({@code closeNotify}), or with the TCP
     * connection's end of stream alone ({@code ending} says which, or the error).
     */
    @API(status = INTERNAL, since = "0.1")
    public record EngineRead(byte[] bytes, boolean closeNotify, String ending) {
    }

    /**
     * Handshakes as a client over {@code plain} with {@code context}, then reads until the peer's
     * close_notify or the end of the TCP stream, whichever comes first. Unlike an
     * {@code SSLSocket}, which by default takes a bare end of stream for a clean close, the
     * engine tells the two apart: this is how a rule sees whether close_notify was really sent.
     */
    public static EngineRead readUntilClosed(SSLContext context, Socket plain) throws IOException {
        SSLEngine engine = context.createSSLEngine(plain.getInetAddress().getHostAddress(), plain.getPort());
        engine.setUseClientMode(true);
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer netIn = ByteBuffer.allocate(2 * packet);
        ByteBuffer netOut = ByteBuffer.allocate(2 * packet);
        ByteBuffer app = ByteBuffer.allocate(2 * engine.getSession().getApplicationBufferSize());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = plain.getInputStream();
        OutputStream out = plain.getOutputStream();
        byte[] chunk = new byte[packet];
        engine.beginHandshake();
        try {
            while (true) {
                SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
                if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                    continue;
                }
                if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    netOut.clear();
                    engine.wrap(ByteBuffer.allocate(0), netOut);
                    out.write(netOut.array(), 0, netOut.position());
                    out.flush();
                    continue;
                }
                netIn.flip();
                SSLEngineResult result = engine.unwrap(netIn, app);
                netIn.compact();
                got.write(app.array(), 0, app.position());
                app.clear();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return new EngineRead(got.toByteArray(), true, "close_notify");
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    app = ByteBuffer.allocate(app.capacity() * 2);
                    continue;
                }
                boolean progressed = result.bytesConsumed() > 0 || result.bytesProduced() > 0;
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || !progressed) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        try {
                            engine.closeInbound();
                            return new EngineRead(got.toByteArray(), false, "end of stream");
                        } catch (SSLException truncated) {
                            return new EngineRead(got.toByteArray(), false, "end of stream without close_notify");
                        }
                    }
                    if (netIn.remaining() < n) {
                        ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() + 2 * n);
                        netIn.flip();
                        bigger.put(netIn);
                        netIn = bigger;
                    }
                    netIn.put(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            return new EngineRead(got.toByteArray(), false, "an error: " + e);
        }
    }

    private static KeyStore store(String file) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Tls.class.getResourceAsStream("/dev/twine/conformance/tls/" + file)) {
            if (in == null) {
                throw new IOException("dev/twine/conformance/tls/" + file + " is missing from the class path");
            }
            store.load(in, PASSWORD);
        }
        return store;
    }
}
