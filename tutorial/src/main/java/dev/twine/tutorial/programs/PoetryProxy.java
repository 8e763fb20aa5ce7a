package dev.twine.tutorial.programs;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.Poetry;
import java.nio.charset.StandardCharsets;

/**
 * The tutorial's poetry proxy (twisted-server-1/2/4 poetry-proxy.py): each client gets the poem
 * of an upstream server, fetched on the first request and cached for good.
 * <ul>
 *   <li>1.0: {@code maybeDeferred(String.class, get_poem)}: a cached poem is a plain value, a download
 *       a Deferred. A download that fails is logged (the original drops it without a word).
 *   <li>2.0: always a Deferred ({@code succeed} for a cached poem), errors logged. Where the
 *       original then writes {@code None} to the client, Twine closes the connection.
 *   <li>3.0: the fetch can be cancelled: a client that leaves before the poem arrives cancels it
 *       ({@code Canceling poem download.}), which closes the upstream connection cleanly, as the
 *       original's {@code connector.disconnect()} does; nothing is cached.
 * </ul>
 */
public final class PoetryProxy {
    private PoetryProxy() {
    }

    /** Which proxy. */
    public enum Version {
        V1, V2, V3
    }

    /** Holds the poem once fetched. */
    static final class ProxyService {
        private final Reactor reactor;
        private final HostPort upstream;
        private final Version version;
        private final Console console;
        private String poem;

        ProxyService(Reactor reactor, HostPort upstream, Version version, Console console) {
            this.reactor = reactor;
            this.upstream = upstream;
            this.version = version;
            this.console = console;
        }

        /** 1.0's get_poem: the cached poem itself, or a Deferred for it. */
        Object getPoemValueOrDeferred() {
            if (poem != null) {
                console.println("Using cached poem.");
                return poem;
            }
            return fetch();
        }

        /** 2.0 and 3.0's get_poem: always a Deferred. */
        Deferred<String> getPoem() {
            if (poem != null) {
                console.println("Using cached poem.");
                return Deferred.succeed(poem);
            }
            return fetch();
        }

        private Deferred<String> fetch() {
            console.println("Fetching poem from server.");
            Deferred<String> download = Poetry.get(reactor, upstream, version == Version.V3);
            Deferred<String> result = version == Version.V3 ? new Deferred<>(self -> {
                console.println("Canceling poem download.");
                download.cancel();
            }) : download;
            if (result != download) {
                download.addVoidBoth((value, failure) -> {
                    if (!result.isCalled()) {
                        if (failure == null) {
                            result.callback(value);
                        } else {
                            result.errback(failure);
                        }
                    }
                });
            }
            return result.addCallback(text -> {
                poem = text;
                return text;
            });
        }
    }

    /** Listens on {@code port} and serves each client the upstream poem. */
    public static ListeningPort listen(Reactor reactor, Version version, HostPort upstream, int port, String iface,
            Console console) {
        ProxyService service = new ProxyService(reactor, upstream, version, console);
        ListeningPort listening = reactor.listenTCP(port, address -> new Protocol() {
            private Deferred<String> pending;

            @Override
            public void connectionMade() {
                if (version == Version.V1) {
                    pending = Deferred.maybeDeferred(String.class, service::getPoemValueOrDeferred);
                } else {
                    pending = service.getPoem();
                }
                pending.addVoidCallbacks(text -> {
                    transport().write(text.getBytes(StandardCharsets.UTF_8));
                }, failure -> {
                    if (version == Version.V1) {
                        ErrorLog.current().err(failure, "The poem download failed:");
                    } else if (version == Version.V2) {
                        ErrorLog.current().err(failure, "Unhandled Error");
                    }
                }).addVoidBoth((value, failure) -> {
                    transport().loseConnection();
                });
            }

            @Override
            public void connectionLost(Failure reason) {
                if (version == Version.V3 && pending != null && !pending.isCalled()) {
                    pending.cancel();
                }
            }
        }, 50, iface);
        console.println("Proxying ('" + upstream.host() + "', " + upstream.port() + ") on " + listening.getHost() + ".");
        return listening;
    }
}
