package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.testing.Poll;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/**
 * A peer written with the JDK's blocking sockets (for UDP, Unix sockets and TLS, where the fake
 * servers have no counterpart): a script run on a thread of its own, whose result a rule waits for
 * with {@link Poll#future}. The thread ends with the script, so the janitor finds nothing left.
 */
@API(status = INTERNAL, since = "0.1")
public final class Peer {
    private Peer() {
    }

    /** Runs {@code script} on a new daemon thread; the future completes with its result or failure. */
    public static <T> CompletableFuture<T> run(String name, Callable<T> script) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(script.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "twine-conformance-peer-" + name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
