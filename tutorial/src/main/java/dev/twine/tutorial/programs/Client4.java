package dev.twine.tutorial.programs;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.Poetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Client 4.0 (twisted-client-4/get-poetry.py): the first Deferred. {@code get_poetry} returns one;
 * {@code addCallbacks(got_poem, poem_failed)} then {@code addBoth(poem_done)}. The poems are printed
 * once all are in; a failure prints {@code Poem failed: <failure>} on standard error. With a
 * timeout, a poem not in by then is cancelled, which drops its connection.
 */
public final class Client4 {
    private Client4() {
    }

    public static Deferred<Void> main(Reactor reactor, List<HostPort> addresses, Duration timeout, Console console) {
        List<String> poems = new ArrayList<>();
        List<Deferred<Void>> all = new ArrayList<>();
        for (HostPort address : addresses) {
            Deferred<String> poem = timeout == null ? Poetry.get(reactor, address) : Poetry.get(reactor, address, timeout);
            all.add(poem.addVoidCallbacks(text -> {
                poems.add(text);
            }, failure -> {
                console.errln("Poem failed: " + failure);
            }));
        }
        return DeferredList.gatherResults(all).addVoidCallback(ignored -> {
            poems.forEach(console::println);
        });
    }
}
