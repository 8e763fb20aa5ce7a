package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A producer that writes on its own and is told to pause when the consumer's buffer is full and
 * to resume when it has drained ({@code streaming = true} in {@link
 * DataConsumer#registerProducer}): Twisted's {@code IPushProducer}.
 */
@API(status = STABLE, since = "0.1")
public interface PushProducer extends Producer {
    /** Stop writing until {@link #resumeProducing()}. */
    void pauseProducing();

    /** Carry on writing. */
    void resumeProducing();
}
