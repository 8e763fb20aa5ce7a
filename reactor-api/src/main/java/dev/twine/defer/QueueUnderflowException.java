package dev.twine.defer;

/** {@link DeferredQueue#get} with its backlog of waiting gets full (Twisted's {@code QueueUnderflow}). */
public class QueueUnderflowException extends IllegalStateException {
    /** With a message naming the limit. */
    public QueueUnderflowException(String message) {
        super(message);
    }
}
