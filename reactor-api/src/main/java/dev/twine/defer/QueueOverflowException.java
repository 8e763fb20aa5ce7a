package dev.twine.defer;

/** {@link DeferredQueue#put} on a full queue (Twisted's {@code QueueOverflow}). */
public class QueueOverflowException extends IllegalStateException {
    /** With a message naming the limit. */
    public QueueOverflowException(String message) {
        super(message);
    }
}
