package dev.twine.protocol;

/**
 * A producer that writes one piece each time the consumer asks ({@code streaming = false} in
 * {@link DataConsumer#registerProducer}): Twisted's {@code IPullProducer}.
 */
public interface PullProducer extends Producer {
    /** Write the next piece (or unregister when there is nothing left). */
    void resumeProducing();
}
