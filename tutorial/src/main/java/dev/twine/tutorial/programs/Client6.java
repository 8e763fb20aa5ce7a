package dev.twine.tutorial.programs;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.Poetry;
import dev.twine.tutorial.poetry.TransformClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Client 6.0 (twisted-client-6/get-poetry.py): each poem is downloaded, then sent to the transform
 * server for {@code cummingsify}. A transform that fails (the server refuses, or closes without an
 * answer) prints {@code Cummingsify failed!} on standard error and keeps the original poem. Poems
 * are printed as they are done, and the downloads that failed are listed at the end.
 */
public final class Client6 {
    private Client6() {
    }

    public static Deferred<Void> main(Reactor reactor, HostPort transformServer, List<HostPort> addresses,
            Duration timeout, Console console) {
        // As the original: the poems and the failures are collected, and printed once all are done.
        List<String> poems = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        List<Deferred<Void>> all = new ArrayList<>();
        for (HostPort address : addresses) {
            Deferred<String> poem = timeout == null ? Poetry.get(reactor, address) : Poetry.get(reactor, address, timeout);
            all.add(poem.addDeferredCallback(text -> TransformClient.transform(reactor, transformServer, "cummingsify", text)
                    .addErrback(failure -> {
                        console.errln("Cummingsify failed!");
                        return text;
                    })).addVoidCallbacks(text -> {
                        poems.add(text);
                    }, failure -> {
                        console.errln("The poem download failed.");
                        errors.add(failure);
                    }));
        }
        return DeferredList.gatherResults(all).addVoidCallback(ignored -> {
            for (String text : poems) {
                console.println(text);
            }
            for (Failure failure : errors) {
                console.println(failure.toString());
            }
        });
    }
}
