package dev.twine.reactor.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import org.apiguardian.api.API;

/**
 * The log prefix of a stream connection, in one form for every reactor: the protocol's class, the
 * side, and on a server's connection the peer's host, as Twisted's {@code
 * "ProtocolName,sessionno,peerhost"} names which client a server-side error came from. A building
 * block for reactor implementers: the conformance rule TCP-104 reads it in error log lines.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LogPrefixes {
    private LogPrefixes() {
    }

    /**
     * {@code "com.example.Echo,client"}, or {@code "com.example.Echo,server,127.0.0.1"} on a
     * server's connection ({@code "unix"} in place of the host for a peer with no IP address).
     *
     * @param protocol the connection's protocol
     * @param server whether the connection was accepted by a listening port
     * @param peer the other end, or null while it is not known yet
     */
    public static String connection(Object protocol, boolean server, Address peer) {
        String name = protocol.getClass().getName();
        return server ? name + ",server," + host(peer, "unix") : name + ",client";
    }

    /** The host of an IP address as text; {@code otherwise} for any other address or none. */
    public static String host(Address address, String otherwise) {
        if (address instanceof IPv4Address v4) {
            return v4.host();
        }
        if (address instanceof IPv6Address v6) {
            return v6.host();
        }
        return otherwise;
    }
}
