package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Deferred;
import org.apiguardian.api.API;

/**
 * Code run at a system event ({@code startup}, {@code shutdown}, or one of the application's).
 * A {@link Phase#BEFORE} trigger may return a Deferred to hold the event back until it fires;
 * otherwise it returns {@code null}. An exception is reported to the error log and the other
 * triggers still run.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface SystemEventTrigger {
    /** Runs the trigger; returns a Deferred to wait for, or {@code null}. */
    Deferred<?> run() throws Exception;
}
