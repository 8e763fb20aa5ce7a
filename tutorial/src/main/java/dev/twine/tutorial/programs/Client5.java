package dev.twine.tutorial.programs;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.Cummingsify;
import dev.twine.tutorial.poetry.Cummingsify.GibberishException;
import dev.twine.tutorial.poetry.Poetry;
import java.util.ArrayList;
import java.util.List;

/**
 * Client 5.0 (twisted-client-5/get-poetry.py): each poem goes through a local cummingsify that
 * fails at random. Gibberish counts as a failed download ({@code The poem download failed.} on
 * standard error); any other failure of the transform keeps the original poem and prints {@code
 * Cummingsify failed!}. Poems are printed as they arrive. Client 5.1 (get-poetry-1.py) does the
 * same with an errback that uses {@code failure.check}.
 */
public final class Client5 {
    private Client5() {
    }

    public static Deferred<Void> main(Reactor reactor, List<HostPort> addresses, boolean withCheck, long seed,
            Console console) {
        Cummingsify cummingsify = new Cummingsify(seed);
        List<Deferred<Void>> all = new ArrayList<>();
        for (HostPort address : addresses) {
            Deferred<String> poem = Poetry.get(reactor, address);
            Deferred<String> transformed;
            if (withCheck) {
                // 5.1: transform on the callback side, sort its failures on the errback side
                String[] original = new String[1];
                transformed = poem.addCallback(text -> {
                    original[0] = text;
                    return cummingsify.apply(text);
                }).addErrback(failure -> {
                    if (original[0] == null || failure.check(GibberishException.class) != null) {
                        throw failure.raiseException();
                    }
                    console.println("Cummingsify failed!");
                    return original[0];
                });
            } else {
                transformed = poem.addCallback(text -> {
                    try {
                        return cummingsify.apply(text);
                    } catch (GibberishException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        console.println("Cummingsify failed!");
                        return text;
                    }
                });
            }
            all.add(transformed.addVoidCallbacks(text -> {
                console.println(text);
            }, failure -> {
                console.errln("The poem download failed.");
            }));
        }
        return DeferredList.gatherResults(all).addVoidCallback(ignored -> { });
    }
}
