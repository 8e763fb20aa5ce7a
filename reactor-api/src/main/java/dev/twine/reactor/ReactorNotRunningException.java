package dev.twine.reactor;

/** {@link ReactorCore#stop()} on a reactor that is not running (Twisted's {@code ReactorNotRunning}). */
public class ReactorNotRunningException extends IllegalStateException {
    /** The standard message. */
    public ReactorNotRunningException() {
        super("Can't stop reactor that isn't running.");
    }
}
