package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A producer that writes one piece each time the consumer asks ({@code streaming = false} in
 * {@link DataConsumer#registerProducer}): Twisted's {@code IPullProducer}.
 */
@API(status = STABLE, since = "0.1")
public interface PullProducer extends Producer {
    /** Write the next piece (or unregister when there is nothing left). */
    void resumeProducing();
}
