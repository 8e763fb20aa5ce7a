package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/** For rules that check a reactor refuses a misuse at once: each call that does not throw as it must is noted. */
@API(status = INTERNAL, since = "0.1")
public final class Misuse {
    private Misuse() {
    }

    /**
     * Runs {@code call}, which must throw {@code type}; when it does not throw, or throws something
     * else, adds a line saying so to {@code wrong}.
     */
    public static void expect(List<String> wrong, String what, Class<? extends Throwable> type, Runnable call) {
        try {
            call.run();
            wrong.add(what + " did not throw");
        } catch (RuntimeException e) {
            if (!type.isInstance(e)) {
                wrong.add(what + " threw " + e + " instead of " + type.getSimpleName());
            }
        }
    }

    /**
     * Runs {@code call} with a port at the edge of the range: it may fail because the port is taken
     * ({@link dev.twine.reactor.CannotListenException}), but an {@link IllegalArgumentException} is
     * noted in {@code wrong}.
     */
    public static void expectInRange(List<String> wrong, String what, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            wrong.add(what + " threw " + e);
        } catch (dev.twine.reactor.CannotListenException taken) {
            // someone else has the port: its range was accepted
        }
    }
}
