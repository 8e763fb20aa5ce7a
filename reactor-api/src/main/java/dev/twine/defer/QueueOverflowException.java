package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** {@link DeferredQueue#put} on a full queue (Twisted's {@code QueueOverflow}). */
@API(status = STABLE, since = "0.1")
public class QueueOverflowException extends IllegalStateException {
    /** With a message naming the limit. */
    public QueueOverflowException(String message) {
        super(message);
    }
}
