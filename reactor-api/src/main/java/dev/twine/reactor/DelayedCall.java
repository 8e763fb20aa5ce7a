package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.AlreadyCalledException;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * A call scheduled with {@link ReactorTime#callLater}: Twisted's {@code IDelayedCall}. Used on the
 * reactor thread only.
 */
@API(status = STABLE, since = "0.1")
public interface DelayedCall {

    /** When the call is due, in the reactor's {@link ReactorTime#seconds()}. */
    double getTime();

    /**
     * Stops the call from running.
     *
     * @throws AlreadyCalledException if it has already run
     * @throws AlreadyCancelledException if it was already cancelled
     */
    void cancel();

    /**
     * Moves the call {@code secondsLater} later than it is now due. Among calls due at the same
     * time it keeps the place it was first scheduled in.
     *
     * @throws AlreadyCalledException if it has already run
     * @throws AlreadyCancelledException if it was cancelled
     */
    void delay(Duration secondsLater);

    /**
     * Makes the call due {@code secondsFromNow} after the reactor's current time. Among calls due
     * at the same time it keeps the place it was first scheduled in.
     *
     * @throws AlreadyCalledException if it has already run
     * @throws AlreadyCancelledException if it was cancelled
     */
    void reset(Duration secondsFromNow);

    /** Whether the call is still waiting to run: neither run nor cancelled. */
    boolean isActive();

    /** Whether the call has run (or is running). */
    boolean isCalled();

    /** Whether the call was cancelled. */
    boolean isCancelled();
}
