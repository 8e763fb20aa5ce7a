package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An IPv4 endpoint: Twisted's {@code IPv4Address}.
 *
 * @param type {@code "TCP"} or {@code "UDP"}
 * @param host the dotted-quad address
 * @param port the port number
 */
@API(status = STABLE, since = "0.1")
public record IPv4Address(String type, String host, int port) implements Address {
    /** Checks the parts. */
    public IPv4Address {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
        return "IPv4Address(type='" + type + "', host='" + host + "', port=" + port + ")";
    }
}
