package dev.twine.tutorial;

/**
 * A server address as the tutorial's programs take it: {@code port} (on 127.0.0.1) or {@code
 * host:port}.
 */
public record HostPort(String host, int port) {

    /**
     * Parses {@code port} or {@code host:port}.
     *
     * @throws IllegalArgumentException naming what was wrong, as the tutorial says it
     */
    public static HostPort parse(String text) {
        String host = "127.0.0.1";
        String port = text;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
        }
        try {
            int number = Integer.parseInt(port);
            if (number < 0 || number > 65535) {
                throw new IllegalArgumentException("Ports must be integers between 0 and 65535, got " + port + ".");
            }
            return new HostPort(host, number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Ports must be integers.");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
