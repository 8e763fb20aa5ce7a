package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** {@link ReactorCore#run()} on a reactor that is already running (Twisted's {@code ReactorAlreadyRunning}). */
@API(status = STABLE, since = "0.1")
public class ReactorAlreadyRunningException extends IllegalStateException {
    /** The standard message. */
    public ReactorAlreadyRunningException() {
        super("The reactor is already running.");
    }
}
