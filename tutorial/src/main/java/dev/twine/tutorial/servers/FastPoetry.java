package dev.twine.tutorial.servers;

import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorTCP;
import dev.twine.tutorial.Console;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The fast poetry server 1.0 (twisted-server-1/fastpoetry.py): a server factory whose protocol
 * writes the whole poem when a client connects, then closes the connection cleanly.
 */
public final class FastPoetry {
    private FastPoetry() {
    }

    /** Writes the poem and closes: everything happens in connectionMade. */
    static final class PoetryProtocol extends Protocol {
        private final PoetryFactory factory;

        PoetryProtocol(PoetryFactory factory) {
            this.factory = factory;
        }

        @Override
        public void connectionMade() {
            transport().write(factory.poem.getBytes(StandardCharsets.UTF_8));
            transport().loseConnection();
        }
    }

    /** Twisted's {@code ServerFactory} with the poem: a protocol per connection, each given the factory. */
    static final class PoetryFactory implements ProtocolFactory {
        final String poem;

        PoetryFactory(String poem) {
            this.poem = Objects.requireNonNull(poem, "poem");
        }

        @Override
        public Protocol buildProtocol(Address address) {
            return new PoetryProtocol(this);
        }
    }

    /** Listens on {@code port} of {@code iface} and prints {@code Serving <name> on <address>.} */
    public static ListeningPort listen(ReactorTCP reactor, String poem, String name, int port, String iface, Console console) {
        ListeningPort listening = reactor.listenTCP(port, new PoetryFactory(poem), ReactorTCP.DEFAULT_BACKLOG, iface);
        console.println("Serving " + name + " on " + listening.getHost() + ".");
        return listening;
    }
}
