package dev.twine.fakes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The tutorial's fast poetry server: to each client, the whole poem at once, then a clean close. */
public final class FastPoetryServer extends TcpFakeServer {
    private final byte[] poem;

    FastPoetryServer(String poem, String name, String iface, int port, Consumer<String> printer) {
        super("fast-poetry", iface, port, printer);
        this.poem = poem.getBytes(StandardCharsets.UTF_8);
        log.line("Serving " + name + " on IPv4Address(type='TCP', host='" + host() + "', port=" + port() + ").");
        startAccepting();
    }

    @Override
    void accepted(Link link) throws IOException {
        link.listener(watched((l, data) -> { }));
        link.start();
        log.line("sending " + poem.length + " bytes of poetry to IPv4Address(type='TCP', host='"
                + link.log.peer.substring(0, link.log.peer.lastIndexOf(':')) + "', port=" + Link.remotePort(link.channel) + ")");
        link.send(poem);
        link.closeAfterSending();
    }
}
