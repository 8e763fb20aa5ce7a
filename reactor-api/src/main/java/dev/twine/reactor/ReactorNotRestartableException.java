package dev.twine.reactor;

/**
 * {@link ReactorCore#run()} on a reactor that has been stopped (Twisted's {@code
 * ReactorNotRestartable}): a reactor runs once; make a new one.
 */
public class ReactorNotRestartableException extends IllegalStateException {
    /** The standard message. */
    public ReactorNotRestartableException() {
        super("A reactor that has been stopped cannot be run again; create a new one.");
    }
}
