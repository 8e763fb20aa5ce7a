package dev.twine.reactor;

/** {@link ReactorCore#run()} on a reactor that is already running (Twisted's {@code ReactorAlreadyRunning}). */
public class ReactorAlreadyRunningException extends IllegalStateException {
    /** The standard message. */
    public ReactorAlreadyRunningException() {
        super("The reactor is already running.");
    }
}
