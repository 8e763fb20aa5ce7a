package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Where errors that nobody handled are reported: a Failure still held by a {@link Deferred} when
 * it is garbage-collected ("Unhandled error in Deferred:"), and, in reactors, exceptions thrown
 * by protocol code or delayed calls. It is Twisted's {@code log.err}, and the hook the trial
 * engine watches to fail a test that logged an error.
 *
 * <p>Routing: {@link #current()} is the log bound to the calling thread with {@link #bind}, else
 * the process-wide default until {@link #setDefault} changes it: Twine's log, {@link
 * dev.twine.log.Log#err(Failure, String)}, which prints on {@code System.err} as {@link
 * #standardError()} does until logging is started, and goes to the log's observers after. A
 * reactor's thread is where errors are raised, so a test runner binds its log there; a Deferred
 * remembers the log that was current when its Failure was left unhandled, so a report made later
 * on the collector's thread still reaches the right place.
 *
 * <p>Implementations may be called from any thread, including the garbage-collection reporter
 * thread, and must not throw.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface ErrorLog {

    /** The message of a Failure left unhandled in a Deferred that was garbage-collected. */
    String UNHANDLED_IN_DEFERRED = "Unhandled error in Deferred:";

    /**
     * Records an error.
     *
     * @param failure the error
     * @param why a line of context to print before it, or {@code null}
     */
    void err(Failure failure, String why);

    /** The log for the calling thread: its binding if it has one, else the default. */
    static ErrorLog current() {
        return ErrorLogRouting.current();
    }

    /** A log that prints {@code why} and the failure's traceback on {@code System.err}. */
    static ErrorLog standardError() {
        return ErrorLogRouting.STANDARD_ERROR;
    }

    /**
     * Replaces the process-wide default log, used by threads with no binding.
     *
     * @return the default it replaced
     */
    static ErrorLog setDefault(ErrorLog log) {
        return ErrorLogRouting.setDefault(Objects.requireNonNull(log, "log"));
    }

    /**
     * Routes errors raised on the calling thread to {@code log} until the returned binding is
     * closed, which restores whatever was bound before. Bindings nest.
     */
    static Binding bind(ErrorLog log) {
        return ErrorLogRouting.bind(Objects.requireNonNull(log, "log"));
    }

    /**
     * Waits for the garbage collector to find Deferreds that died holding an unhandled Failure,
     * and reports them, each to the log that was current when its Failure was left unhandled.
     * Collection is the JVM's business, so this is best effort: it asks for a collection and
     * reports whatever the collector has found by the time it returns. Test runners call it at
     * the end of a test so that such errors are charged to that test.
     */
    static void reportGarbage() {
        UnhandledFailures.collectAndReport();
    }

    /**
     * The Failures that Deferreds are still holding unhandled, whose chains ended on them while
     * {@code log} was current; they are no longer tracked afterwards, so garbage collection will not
     * report them again. A test runner calls it at the end of a test with the log it bound for the
     * test: what is still unhandled then is what Twisted would report when the test's objects die,
     * found without waiting for the collector.
     */
    static java.util.List<Failure> takeUnhandled(ErrorLog log) {
        return UnhandledFailures.take(Objects.requireNonNull(log, "log"));
    }

    /** The binding made by {@link #bind}; closing it restores the previous one. */
    @API(status = STABLE, since = "0.1")
    interface Binding extends AutoCloseable {
        /** Restores the binding that was in force before. */
        @Override
        void close();
    }
}
