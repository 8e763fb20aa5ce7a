package dev.twine.protocol;

/**
 * A producer that writes on its own and is told to pause when the consumer's buffer is full and
 * to resume when it has drained ({@code streaming = true} in {@link
 * DataConsumer#registerProducer}): Twisted's {@code IPushProducer}.
 */
public interface PushProducer extends Producer {
    /** Stop writing until {@link #resumeProducing()}. */
    void pauseProducing();

    /** Carry on writing. */
    void resumeProducing();
}
