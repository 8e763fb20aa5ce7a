package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A simulated run failed: the message names the seed (and the fault plan, if any) that replays it,
 * followed by what went wrong. Thrown by {@link Simulation}'s {@code run…} methods when a run
 * exceeds its event or virtual-time limit or ends without what it waited for, and made by {@link
 * Simulation#failure} for a test's own checks.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class SimulationFailure extends AssertionError {
    private final long seed;

    /** A failure of the run of {@code seed}; {@code message} already names the seed. */
    public SimulationFailure(long seed, String message, Throwable cause) {
        super(message, cause);
        this.seed = seed;
    }

    /** The seed that replays the failing run. */
    public long seed() {
        return seed;
    }
}
