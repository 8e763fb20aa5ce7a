package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Something that writes data into a {@link DataConsumer}: Twisted's {@code IProducer}. Called on
 * the reactor thread. Implement {@link PushProducer} or {@link PullProducer}.
 */
@API(status = STABLE, since = "0.1")
public interface Producer {
    /** Stop for good: the consumer is closing. */
    void stopProducing();
}
