package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A Unix domain socket endpoint: Twisted's {@code UNIXAddress}.
 *
 * @param name the socket's path, or {@code null} for an unnamed (client) socket
 */
@API(status = STABLE, since = "0.1")
public record UnixAddress(Path name) implements Address {
    @Override
    public String toString() {
        return "UNIXAddress(" + (name == null ? "None" : "'" + name + "'") + ")";
    }
}
