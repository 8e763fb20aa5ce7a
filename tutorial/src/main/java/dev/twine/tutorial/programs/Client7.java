package dev.twine.tutorial.programs;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.Poetry;
import dev.twine.tutorial.poetry.TransformClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Client 7.0 (twisted-client-7/get-poetry.py): the same download-then-transform, written in the
 * await style ({@code inlineCallbacks}): the body reads like blocking code, but every protocol event
 * stays on the reactor thread. {@code The poem download failed: <reason>} and {@code Cummingsify
 * failed! <reason>} go to standard error. With {@code stopWithDeferredList}, client 8.0: the
 * program ends through a {@code DeferredList} of all the poems that consumes their errors.
 */
public final class Client7 {
    private Client7() {
    }

    /** Downloads the poem at {@code address} and has it transformed; a failed transform keeps the original. */
    public static Deferred<String> getTransformedPoem(Reactor reactor, HostPort transformServer, HostPort address,
            Duration timeout, Console console) {
        return inlineCallbacks(() -> {
            String poem;
            try {
                poem = await(timeout == null ? Poetry.get(reactor, address) : Poetry.get(reactor, address, timeout));
            } catch (Exception e) {
                console.errln("The poem download failed: " + e.getMessage());
                throw e;
            }
            try {
                poem = await(TransformClient.transform(reactor, transformServer, "cummingsify", poem));
            } catch (Exception e) {
                console.errln("Cummingsify failed! " + e.getMessage());
            }
            return poem;
        });
    }

    public static Deferred<Void> main(Reactor reactor, HostPort transformServer, List<HostPort> addresses,
            Duration timeout, boolean stopWithDeferredList, Console console) {
        List<Deferred<String>> poems = new ArrayList<>();
        for (HostPort address : addresses) {
            Deferred<String> poem = getTransformedPoem(reactor, transformServer, address, timeout, console);
            poems.add(poem.addCallback(text -> {
                console.println(text);
                return text;
            }));
        }
        if (stopWithDeferredList) {
            return DeferredList.of(poems, DeferredList.Option.CONSUME_ERRORS).addCallback(results -> null);
        }
        // 7.0 counts the poems done by hand, failures included.
        List<Deferred<Object>> done = new ArrayList<>();
        for (Deferred<String> poem : poems) {
            done.add(poem.addBoth((value, failure) -> null));
        }
        return DeferredList.gatherResults(done).addCallback(ignored -> null);
    }
}
