package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Running and stopping the reactor, and system events: Twisted's {@code IReactorCore}. Except
 * {@link #run()}, which makes the calling thread the reactor thread, every method is called on the
 * reactor thread (from elsewhere, go through {@link ReactorThreads#callFromThread}).
 */
@API(status = STABLE, since = "0.1")
public interface ReactorCore {

    /** The event fired when {@link #run()} starts the reactor. */
    String STARTUP = "startup";

    /** The event fired when {@link #stop()} stops the reactor. */
    String SHUTDOWN = "shutdown";

    /**
     * Runs the event loop on the calling thread until the reactor is stopped (or crashed). Fires
     * {@code startup} (before → during → after, with the {@link #callWhenRunning} calls among the
     * {@code after} triggers in the order they were added), and after {@link #stop()}, {@code
     * shutdown}, all of whose phases finish before this returns.
     *
     * @throws ReactorAlreadyRunningException if it is running
     * @throws ReactorNotRestartableException if it has been stopped
     */
    void run();

    /**
     * Asks the running reactor to stop: soon after, on the reactor thread, it fires {@code
     * shutdown}; a {@link Phase#BEFORE} trigger that returns a Deferred holds the rest back until
     * it fires; then every connection and port is closed and {@link #run()} returns.
     *
     * @throws ReactorNotRunningException if it is not running, or already stopping
     */
    void stop();

    /** Stops the loop at once, without {@code shutdown} triggers; the reactor may be run again. */
    void crash();

    /**
     * Runs one iteration of the loop on the calling thread: due calls and ready I/O, waiting at
     * most {@code maxWait} for something to happen. For tests and embedding.
     */
    void iterate(Duration maxWait);

    /** Whether {@link #run()} is running the loop now. */
    boolean isRunning();

    /**
     * Runs {@code callable} once the reactor is running: at once if it already is, else as an
     * {@code after startup} trigger, in order with the others.
     */
    void callWhenRunning(Runnable callable);

    /**
     * Adds {@code trigger} to run at {@code phase} of {@code eventType} ({@link #STARTUP}, {@link
     * #SHUTDOWN}, or any event the application fires).
     */
    TriggerHandle addSystemEventTrigger(Phase phase, String eventType, SystemEventTrigger trigger);

    /**
     * Removes a trigger; removing one that is not there (or already removed) is an error.
     *
     * @throws IllegalArgumentException if {@code handle} names no trigger of this reactor
     */
    void removeSystemEventTrigger(TriggerHandle handle);

    /** Fires {@code eventType}'s triggers: before (waiting for their Deferreds), during, after. */
    void fireSystemEvent(String eventType);
}
