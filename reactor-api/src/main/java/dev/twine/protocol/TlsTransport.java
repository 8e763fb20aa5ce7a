package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import javax.net.ssl.SSLContext;
import org.apiguardian.api.API;

/**
 * A TCP transport that can switch to TLS mid-connection: Twisted's {@code ITLSTransport}.
 * Reactors with {@link dev.twine.reactor.Capability#TLS} give these to their TCP and TLS
 * connections. Called on the reactor thread.
 */
@API(status = STABLE, since = "0.1")
public interface TlsTransport extends TcpTransport {

    /**
     * Starts TLS: bytes written before this call go out in clear first, everything after is
     * encrypted, and bytes received after the handshake are decrypted before {@code
     * dataReceived}.
     *
     * @param client true to take the client side of the handshake, false for the server side
     * @throws IllegalStateException if TLS is already on
     */
    void startTLS(SSLContext context, boolean client);

    /** Whether TLS is on (the handshake may still be in progress). */
    boolean isTlsStarted();
}
