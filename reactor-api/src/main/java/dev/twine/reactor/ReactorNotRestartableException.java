package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * {@link ReactorCore#run()} on a reactor that has been stopped (Twisted's {@code
 * ReactorNotRestartable}): a reactor runs once; make a new one.
 */
@API(status = STABLE, since = "0.1")
public class ReactorNotRestartableException extends IllegalStateException {
    /** The standard message. */
    public ReactorNotRestartableException() {
        super("A reactor that has been stopped cannot be run again; create a new one.");
    }
}
