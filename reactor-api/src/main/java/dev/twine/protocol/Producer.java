package dev.twine.protocol;

/**
 * Something that writes data into a {@link DataConsumer}: Twisted's {@code IProducer}. Called on
 * the reactor thread. Implement {@link PushProducer} or {@link PullProducer}.
 */
public interface Producer {
    /** Stop for good: the consumer is closing. */
    void stopProducing();
}
