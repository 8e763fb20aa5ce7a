package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An IPv6 endpoint: Twisted's {@code IPv6Address}.
 *
 * @param type {@code "TCP"} or {@code "UDP"}
 * @param host the address, without brackets, with {@code %scope} when it has a scope id
 * @param port the port number
 * @param flowInfo the flow information (0 unless set)
 * @param scopeId the scope id (0 unless the address is link-local)
 */
@API(status = STABLE, since = "0.1")
public record IPv6Address(String type, String host, int port, int flowInfo, int scopeId) implements Address {
    /** Checks the parts. */
    public IPv6Address {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
    }

    /** An address with no flow information or scope id. */
    public IPv6Address(String type, String host, int port) {
        this(type, host, port, 0, 0);
    }

    @Override
    public String toString() {
        return "IPv6Address(type='" + type + "', host='" + host + "', port=" + port
                + ", flowInfo=" + flowInfo + ", scopeID=" + scopeId + ")";
    }
}
