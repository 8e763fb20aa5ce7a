package dev.twine.fakes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A running fake TCP server. It listens on {@link #host()}:{@link #port()} (loopback and a port the
 * system chose, unless told otherwise) from the moment it is returned until {@link #close()}, which
 * closes every socket it has. Thread-safe.
 */
public interface FakeServer extends AutoCloseable {

    /** The address it listens on. */
    String host();

    /** The port it listens on. */
    int port();

    /** What it has seen so far, as an immutable snapshot. */
    ServerRecord record();

    /**
     * Completes, on the fake's own thread, with the first record for which {@code condition}
     * holds (checked now and after everything the fake does). For code that must not block, such
     * as a reactor: turn it into a Deferred with {@code callFromThread}.
     */
    CompletableFuture<ServerRecord> when(Predicate<ServerRecord> condition);

    /**
     * Blocks until {@code condition} holds for the record, and returns that record.
     *
     * @throws IllegalStateException if it does not hold within {@code timeout}; the message shows the last record
     */
    ServerRecord await(Predicate<ServerRecord> condition, Duration timeout);

    /** Stops listening and closes every connection. */
    @Override
    void close();
}
