package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** {@link DeferredQueue#get} with its backlog of waiting gets full (Twisted's {@code QueueUnderflow}). */
@API(status = STABLE, since = "0.1")
public class QueueUnderflowException extends IllegalStateException {
    /** With a message naming the limit. */
    public QueueUnderflowException(String message) {
        super(message);
    }
}
