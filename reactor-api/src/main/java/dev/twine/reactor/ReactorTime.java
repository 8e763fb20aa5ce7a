package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Scheduling on the reactor's clock: Twisted's {@code IReactorTime}. Implemented by every reactor
 * and by the deterministic {@link dev.twine.task.Clock}. Called on the reactor thread only.
 *
 * <p>Calls run in the order of their due time; calls due at the same time run in the order they
 * were first scheduled, even if one was later {@linkplain DelayedCall#reset reset} or delayed.
 * Twisted's reactors do not promise the second part (its {@code task.Clock} does); Twine does,
 * because deterministic tests need it.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorTime {

    /**
     * Runs {@code callable} on the reactor thread after {@code delay}. An exception it throws is
     * reported to the reactor's error log and does not stop the reactor.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    DelayedCall callLater(Duration delay, Runnable callable);

    /** The reactor's current time in seconds. Only differences between readings mean anything. */
    double seconds();

    /** The calls that are scheduled and have neither run nor been cancelled, in due order. */
    List<DelayedCall> getDelayedCalls();
}
