package dev.twine.tutorial.programs;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.PoetryProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Client 3.0 (twisted-client-3/get-poetry.py): {@code get_poetry(host, port, callback)} calls a
 * function with the poem; the poems are printed once all are in. It has no error path, so with a
 * server that is not there it waits forever, as the original does. Client 3.1 (get-poetry-1.py)
 * adds an errback: {@code Poem failed: <failure>} on standard error.
 */
public final class Client3 {
    private Client3() {
    }

    /** Calls {@code callback} with the poem, or {@code errback} (when not null) with why there is none. */
    static void getPoetry(Reactor reactor, HostPort address, Consumer<String> callback, Consumer<Failure> errback) {
        reactor.connectTCP(address.host(), address.port(), new ClientFactory() {
            @Override
            public Protocol buildProtocol(Address peer) {
                return new PoetryProtocol(data -> { }, (poem, reason) -> callback.accept(poem));
            }

            @Override
            public void clientConnectionFailed(Connector connector, Failure reason) {
                if (errback != null) {
                    errback.accept(reason);
                }
            }
        });
    }

    public static Deferred<Void> main(Reactor reactor, List<HostPort> addresses, boolean withErrback, Console console) {
        List<String> poems = new ArrayList<>();
        int[] done = {0};
        Deferred<Void> finished = new Deferred<>();
        Runnable poemDone = () -> {
            if (++done[0] == addresses.size()) {
                poems.forEach(console::println);
                finished.callback(null);
            }
        };
        for (HostPort address : addresses) {
            getPoetry(reactor, address, poem -> {
                poems.add(poem);
                poemDone.run();
            }, withErrback ? failure -> {
                console.errln("Poem failed: " + failure);
                poemDone.run();
            } : null);
        }
        if (addresses.isEmpty()) {
            finished.callback(null);
        }
        return finished;
    }
}
