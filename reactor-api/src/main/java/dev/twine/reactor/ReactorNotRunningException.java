package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** {@link ReactorCore#stop()} on a reactor that is not running (Twisted's {@code ReactorNotRunning}). */
@API(status = STABLE, since = "0.1")
public class ReactorNotRunningException extends IllegalStateException {
    /** The standard message. */
    public ReactorNotRunningException() {
        super("Can't stop reactor that isn't running.");
    }
}
