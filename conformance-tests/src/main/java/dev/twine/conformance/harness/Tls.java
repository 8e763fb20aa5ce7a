package dev.twine.conformance.harness;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts for the TLS rules: a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1} shipped with the suite (never use it for anything else), a client that trusts
 * it, and a client that trusts only the JDK's authorities and so refuses it.
 */
public final class Tls {
    private static final char[] PASSWORD = "twine-test".toCharArray();

    private Tls() {
    }

    /** The server side: the suite's certificate and key. */
    public static SSLContext server() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store(), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the suite's TLS certificate could not be loaded", e);
        }
    }

    /** A client that trusts the suite's certificate. */
    public static SSLContext trustingClient() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store());
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

    private static KeyStore store() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Tls.class.getResourceAsStream("/dev/twine/conformance/tls/localhost.p12")) {
            if (in == null) {
                throw new IOException("dev/twine/conformance/tls/localhost.p12 is missing from the class path");
            }
            store.load(in, PASSWORD);
        }
        return store;
    }
}
