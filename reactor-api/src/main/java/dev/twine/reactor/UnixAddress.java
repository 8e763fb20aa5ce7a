package dev.twine.reactor;

import java.nio.file.Path;

/**
 * A Unix domain socket endpoint: Twisted's {@code UNIXAddress}.
 *
 * @param name the socket's path, or {@code null} for an unnamed (client) socket
 */
public record UnixAddress(Path name) implements Address {
    @Override
    public String toString() {
        return "UNIXAddress(" + (name == null ? "None" : "'" + name + "'") + ")";
    }
}
