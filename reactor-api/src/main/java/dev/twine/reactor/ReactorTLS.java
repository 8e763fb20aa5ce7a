package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ProtocolFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apiguardian.api.API;

/**
 * TLS over TCP, an optional capability ({@link Capability#TLS}): Twisted's {@code IReactorSSL}.
 * Called on the reactor thread. Protocols see plain bytes; the transport encrypts. Transports of
 * TLS connections, and of TCP connections on a reactor with this capability, are {@link
 * dev.twine.protocol.TlsTransport}s, so a plain connection can switch with {@code startTLS}.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorTLS {

    /**
     * Listens for TLS connections; the server side of each handshake uses {@code context}.
     *
     * @throws CannotListenException if it cannot bind
     */
    ListeningPort listenSSL(int port, ProtocolFactory factory, SSLContext context, int backlog, String iface);

    /**
     * Connects with TLS, as the client, to {@code host}:{@code port}; {@code host} is also the
     * name sent and checked in the handshake. A failed handshake closes the connection with a
     * {@link dev.twine.protocol.ConnectionLost} reason naming the TLS error.
     */
    Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            Duration timeout, InetSocketAddress bindAddress);
}
