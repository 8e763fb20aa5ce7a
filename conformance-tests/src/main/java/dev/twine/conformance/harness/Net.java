package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.ListeningPort;
import org.apiguardian.api.API;

/** Addresses, as rules need them. */
@API(status = INTERNAL, since = "0.1")
public final class Net {
    /** Where servers under test listen, and fake servers too. */
    public static final String LOOPBACK = "127.0.0.1";

    private Net() {
    }

    /** The port of an IPv4 or IPv6 address. */
    public static int port(Address address) {
        if (address instanceof IPv4Address v4) {
            return v4.port();
        }
        if (address instanceof IPv6Address v6) {
            return v6.port();
        }
        throw new AssertionError("expected an IP address, got " + address);
    }

    /** The port a listening port listens on. */
    public static int port(ListeningPort port) {
        return port(port.getHost());
    }
}
