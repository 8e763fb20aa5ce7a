package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ProtocolFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * TCP: Twisted's {@code IReactorTCP}. Called on the reactor thread. Connections' transports are
 * {@link dev.twine.protocol.TcpTransport}s.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorTCP {

    /** Twisted's default listen backlog. */
    int DEFAULT_BACKLOG = 50;

    /** Twisted's default time allowed for a TCP connection attempt. */
    Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** {@link #listenTCP(int, ProtocolFactory, int, String)} on every interface with the default backlog. */
    default ListeningPort listenTCP(int port, ProtocolFactory factory) {
        return listenTCP(port, factory, DEFAULT_BACKLOG, "");
    }

    /**
     * Listens on {@code iface}:{@code port}: for each accepted connection the factory's {@code
     * buildProtocol(peer)} makes a protocol (returning {@code null} closes the connection at
     * once), which then hears {@code makeConnection}. Calls the factory's {@code doStart} first.
     *
     * @param port 0 for a port the system chooses (see {@link ListeningPort#getHost()})
     * @param iface an address or host name to bind to; {@code ""} for every IPv4 interface, an
     *     IPv6 address such as {@code "::1"} for IPv6
     * @throws CannotListenException if it cannot bind, or {@code iface} is neither an address nor a
     *     name that resolves
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface);

    /** {@link #connectTCP(String, int, ClientFactory, Duration, InetSocketAddress)} with the default timeout. */
    default Connector connectTCP(String host, int port, ClientFactory factory) {
        return connectTCP(host, port, factory, DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * Connects to {@code host}:{@code port}. The factory hears {@code startedConnecting}, then
     * either {@code buildProtocol} (and the protocol {@code makeConnection}) and later {@code
     * clientConnectionLost}, or {@code clientConnectionFailed} with a {@link
     * dev.twine.protocol.ConnectionRefusedException}, {@link
     * dev.twine.protocol.ConnectTimeoutException}, {@link dev.twine.protocol.DnsLookupException}
     * or other {@link dev.twine.protocol.ConnectionFailedException}. Nothing is reported before
     * this method returns.
     *
     * @param timeout how long the attempt may take
     * @param bindAddress the local address to bind first, or {@code null}
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout, InetSocketAddress bindAddress);
}
