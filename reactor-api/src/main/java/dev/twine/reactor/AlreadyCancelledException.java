package dev.twine.reactor;

/** Thrown when a cancelled {@link DelayedCall} is cancelled, reset or delayed again (Twisted's {@code AlreadyCancelled}). */
public class AlreadyCancelledException extends IllegalStateException {
    /** With a message naming the call. */
    public AlreadyCancelledException(String message) {
        super(message);
    }
}
