package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Something that takes bytes and can throttle a {@link Producer}: Twisted's {@code IConsumer}.
 * Every {@link Transport} is one. Called on the reactor thread.
 */
@API(status = STABLE, since = "0.1")
public interface DataConsumer {

    /**
     * Attaches {@code producer}. A push producer ({@code streaming = true}) is paused when the
     * consumer's buffer passes its high-water mark and resumed when it drains; a pull producer
     * ({@code streaming = false}) gets {@code resumeProducing} each time the buffer empties,
     * starting now. On a consumer that is already closed, the producer gets {@code stopProducing}
     * at once.
     *
     * @throws IllegalStateException if another producer is registered
     * @throws IllegalArgumentException if {@code streaming} does not match the producer's kind
     */
    void registerProducer(Producer producer, boolean streaming);

    /** Detaches the producer; a pending {@code loseConnection} may now complete. */
    void unregisterProducer();

    /**
     * Queues {@code data} to be sent, in order. Never blocks. The consumer does not keep the
     * array after the call returns, so the caller may reuse it. Writing after the consumer is
     * closed does nothing.
     */
    void write(byte[] data);

    /**
     * Queues the bytes from {@code data}'s position to its limit, consuming them (the position
     * moves to the limit). The consumer does not keep the buffer after the call returns. By
     * default copies them into an array for {@link #write(byte[])}; a transport may do better (a
     * buffer lent by {@link BufferReceiver} may be handed over without a copy).
     */
    default void write(java.nio.ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        write(copy);
    }
}
