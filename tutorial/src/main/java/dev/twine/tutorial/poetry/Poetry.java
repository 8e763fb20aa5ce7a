package dev.twine.tutorial.poetry;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.ReactorTCP;
import dev.twine.reactor.ReactorTime;
import dev.twine.tutorial.HostPort;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code get_poetry} from client 4.0 on: a Deferred for the poem at an address. It fires with the
 * poem once the server closes cleanly, or fails with why the connection failed. Cancelling it
 * (directly, or by a timeout) stops the attempt or drops the connection.
 *
 * <p>Unlike the original, which calls whatever arrived before the connection ended the poem, a
 * connection lost in the middle of a poem (a reset, a crash) fails with {@link IncompletePoemException},
 * and so does a server that closes without sending anything (the proxy, when its own download
 * failed): a partial or empty poem is never handed over as the poem. Where the server closes cleanly,
 * which the tutorial's servers always do, nothing changes. The seeded showcase
 * ({@code TutorialUnderSimulationTest}) is what found this.
 */
public final class Poetry {
    private Poetry() {
    }

    /** The connection ended before the server had sent the whole poem, or the server sent none. */
    public static final class IncompletePoemException extends Exception {
        public IncompletePoemException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The poem at {@code address}; cancelling it drops the connection at once (a reset). */
    public static Deferred<String> get(ReactorTCP reactor, HostPort address) {
        return get(reactor, address, false);
    }

    /**
     * The poem at {@code address}. Cancelling it stops the attempt, or ends the connection: with
     * {@code closeCleanly}, as {@code connector.disconnect()} does in the tutorial's proxy 3.0 (a
     * clean close, FIN), else with a reset.
     */
    public static Deferred<String> get(ReactorTCP reactor, HostPort address, boolean closeCleanly) {
        Connector[] connector = new Connector[1];
        Protocol[] protocol = new Protocol[1];
        Deferred<String> poem = new Deferred<>(self -> {
            if (protocol[0] != null && protocol[0].transport() != null) {
                if (closeCleanly) {
                    protocol[0].transport().loseConnection();
                } else {
                    protocol[0].transport().abortConnection();
                }
            } else if (connector[0] != null) {
                connector[0].stopConnecting();
            }
        });
        connector[0] = reactor.connectTCP(address.host(), address.port(), new ClientFactory() {
            @Override
            public Protocol buildProtocol(Address peer) {
                protocol[0] = new PoetryProtocol(data -> { }, (text, reason) -> {
                    if (poem.isCalled()) {
                        return;
                    }
                    if (!(reason.value() instanceof ConnectionDone)) {
                        poem.errback(new Failure(new IncompletePoemException("the connection was lost after "
                                + text.getBytes(StandardCharsets.UTF_8).length + " bytes of the poem: "
                                + reason.value().getMessage(), reason.value())));
                    } else if (text.isEmpty()) {
                        poem.errback(new Failure(new IncompletePoemException(
                                "the server closed the connection without sending a poem", null)));
                    } else {
                        poem.callback(text);
                    }
                });
                return protocol[0];
            }

            @Override
            public void clientConnectionFailed(Connector c, Failure reason) {
                if (!poem.isCalled()) {
                    poem.errback(reason);
                }
            }
        });
        return poem;
    }

    /** The poem at {@code address}, or a {@code DeferredTimeoutException} (and the connection dropped) after {@code timeout}. */
    public static <R extends ReactorTCP & ReactorTime> Deferred<String> get(R reactor, HostPort address, Duration timeout) {
        return get(reactor, address).addTimeout(timeout, reactor);
    }
}
