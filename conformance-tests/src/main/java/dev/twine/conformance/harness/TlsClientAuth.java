package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.apiguardian.api.API;

/**
 * A server-side TLS context that requires a client certificate, for the rules on a handshake the
 * server refuses: the suite's server certificate, and engines that insist on the client's (which
 * the suite's clients never present).
 */
@API(status = INTERNAL, since = "0.1")
public final class TlsClientAuth {
    private TlsClientAuth() {
    }

    /** {@link Tls#server()}, with every engine it creates requiring a client certificate. */
    public static SSLContext requiringClientCertificates() {
        SSLContext real = Tls.server();
        return new SSLContext(new Spi(real), real.getProvider(), real.getProtocol()) {
        };
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext real;

        Spi(SSLContext real) {
            this.real = real;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) throws KeyManagementException {
            real.init(keys, trust, random);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            SSLEngine engine = real.createSSLEngine();
            engine.setNeedClientAuth(true);
            return engine;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine engine = real.createSSLEngine(host, port);
            engine.setNeedClientAuth(true);
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real.getClientSessionContext();
        }
    }
}
