package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The test stopped (or crashed) the reactor it ran on. Trial runs every test of a class on one
 * reactor, which must keep running until the class is done; code under test that stops the reactor
 * when it is finished (as the Twisted tutorial's clients do) needs a seam the test can replace, or
 * its own reactor. The test errors at once, naming the phase it was in; the class's remaining
 * tests are not run.
 */
@API(status = STABLE, since = "0.1")
public final class ReactorStoppedError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the full message. */
    public ReactorStoppedError(String message) {
        super(message);
    }
}
