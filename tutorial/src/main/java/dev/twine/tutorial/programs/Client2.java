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
import dev.twine.tutorial.Timedelta;
import dev.twine.tutorial.poetry.PoetryProtocol;
import java.time.Duration;
import java.util.List;

/**
 * Client 2.0 (twisted-client-2/get-poetry.py): a Protocol and a ClientFactory. The protocol prints
 * each piece as it arrives; the factory counts the poems in, hears clientConnectionFailed for a
 * server that is not there, and reports once all are done: the characters of each poem that
 * arrived, in the order they finished (as the original's dict of poems, filled as they finish),
 * and no line for a server it could not reach. With {@code simple}, client 2.1
 * (get-poetry-simple.py): the poems themselves are printed instead.
 */
public final class Client2 {
    private Client2() {
    }

    public static Deferred<Void> main(Reactor reactor, List<HostPort> addresses, boolean simple, Console console) {
        long start = System.nanoTime();
        // Task number -> characters of its poem, in the order the poems finished.
        java.util.Map<Integer, Integer> poems = new java.util.LinkedHashMap<>();
        int[] finished = {0};
        Deferred<Void> done = new Deferred<>();
        Runnable oneFinished = () -> {
            if (++finished[0] < addresses.size()) {
                return;
            }
            if (!simple) {
                poems.forEach((task, characters) -> console.println("Task " + task + ": " + characters + " characters of poetry"));
                console.println("Got " + addresses.size() + " poems in "
                        + Timedelta.format(Duration.ofNanos(System.nanoTime() - start)));
            }
            done.callback(null);
        };
        for (int i = 0; i < addresses.size(); i++) {
            int task = i + 1;
            HostPort address = addresses.get(i);
            reactor.connectTCP(address.host(), address.port(), new ClientFactory() {
                @Override
                public Protocol buildProtocol(Address peer) {
                    PoetryProtocol[] protocol = new PoetryProtocol[1];
                    protocol[0] = new PoetryProtocol(data -> {
                        if (!simple) {
                            console.println("Task " + task + ": got " + data.length + " bytes of poetry from "
                                    + protocol[0].transport().getPeer());
                        }
                    }, (poem, reason) -> {
                        poems.put(task, poem.codePointCount(0, poem.length()));
                        if (simple) {
                            console.println(poem);
                        }
                        oneFinished.run();
                    });
                    return protocol[0];
                }

                @Override
                public void clientConnectionFailed(Connector connector, Failure reason) {
                    console.println("Failed to connect to: " + connector.getDestination());
                    oneFinished.run();
                }
            });
        }
        if (addresses.isEmpty()) {
            done.callback(null);
        }
        return done;
    }
}
