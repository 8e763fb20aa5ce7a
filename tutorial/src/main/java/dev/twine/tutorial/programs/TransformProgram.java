package dev.twine.tutorial.programs;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.TransformClient;

/**
 * The transform client on its own: sends a poem to the transform server and prints what comes
 * back, or {@code Cummingsify failed!} (and a non-zero exit) when nothing does.
 */
public final class TransformProgram {
    private TransformProgram() {
    }

    public static Deferred<Void> main(Reactor reactor, HostPort server, String transform, String poem, Console console) {
        return TransformClient.transform(reactor, server, transform, poem).addCallbacks(text -> {
            console.println(text);
            return null;
        }, failure -> {
            console.errln("Cummingsify failed! " + failure.getErrorMessage());
            throw failure.raiseException();
        });
    }
}
