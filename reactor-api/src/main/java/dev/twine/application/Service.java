package dev.twine.application;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import org.apiguardian.api.API;

/**
 * A part of a program that is started and stopped, on the reactor thread: Twisted's {@code
 * IService}. Starting and stopping may take time; each returns a Deferred that fires when done.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Service {

    /** A name for log lines and for finding the service in its parent. */
    String name();

    /** Starts the service. Called once, on the reactor thread; fires when it is started. */
    Deferred<Void> startService();

    /** Stops the service. Called once after a start, on the reactor thread; fires when it is stopped. */
    Deferred<Void> stopService();

    /** Whether it has been started and not yet stopped. */
    boolean isRunning();

    /**
     * Adds this service to {@code parent} (Twisted's {@code setServiceParent}): it then starts
     * and stops with it. The same as {@code parent.add(this)}.
     *
     * @throws IllegalStateException if the parent is running or has a service of this name
     */
    default void setServiceParent(MultiService parent) {
        parent.add(this);
    }
}
