package dev.twine.reactor.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apiguardian.api.API;

/**
 * The {@link SSLEngine} of one TLS connection, set up as {@code ReactorTLS} and {@code startTLS}
 * require in every reactor: a client checks the server's certificate against the name it connected
 * to (a host name, or the address reached), as HTTPS does. A building block for reactor
 * implementers: the conformance rules TLS-02 and TLS-38 fail a reactor whose client skips the check.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TlsEngines {
    private TlsEngines() {
    }

    /**
     * A new engine from {@code context}.
     *
     * @param client true for the client side of the handshake
     * @param peerName the name a client checks the certificate against ({@code connectSSL}'s host, or
     *     for {@code startTLS} the address reached, {@link LogPrefixes#host}); null for no check (a server)
     * @param peer the other end, whose port goes with {@code peerName} (session reuse); may be null
     */
    public static SSLEngine create(SSLContext context, boolean client, String peerName, Address peer) {
        int peerPort = peer instanceof IPv4Address v4 ? v4.port() : peer instanceof IPv6Address v6 ? v6.port() : -1;
        SSLEngine engine = peerName == null ? context.createSSLEngine() : context.createSSLEngine(peerName, peerPort);
        engine.setUseClientMode(client);
        if (client && peerName != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return engine;
    }
}
