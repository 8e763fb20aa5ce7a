package dev.twine.reactor.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.protocol.Producer;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The checks every transport makes in {@code registerProducer}, in one place for every reactor and
 * test double: one producer at a time, and of the kind it says it is. A building block for
 * reactor implementers.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProducerRegistration {
    private ProducerRegistration() {
    }

    /**
     * Checks that {@code candidate} may be registered where {@code registered} (or null) is.
     *
     * @throws NullPointerException if {@code candidate} is null
     * @throws IllegalStateException if another producer is registered and was never unregistered
     * @throws IllegalArgumentException if a streaming producer is not a {@link PushProducer}, or a
     *     non-streaming one not a {@link PullProducer}
     */
    public static void check(Producer registered, Producer candidate, boolean streaming) {
        Objects.requireNonNull(candidate, "producer");
        if (registered != null) {
            throw new IllegalStateException("Cannot register producer " + candidate + ": " + registered
                    + " is registered and was never unregistered.");
        }
        if (streaming && !(candidate instanceof PushProducer)) {
            throw new IllegalArgumentException("a streaming producer must be a PushProducer: " + candidate);
        }
        if (!streaming && !(candidate instanceof PullProducer)) {
            throw new IllegalArgumentException("a non-streaming producer must be a PullProducer: " + candidate);
        }
    }
}
