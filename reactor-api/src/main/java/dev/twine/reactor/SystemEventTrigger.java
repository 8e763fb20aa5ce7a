package dev.twine.reactor;

import dev.twine.defer.Deferred;

/**
 * Code run at a system event ({@code startup}, {@code shutdown}, or one of the application's).
 * A {@link Phase#BEFORE} trigger may return a Deferred to hold the event back until it fires;
 * otherwise it returns {@code null}. An exception is reported to the error log and the other
 * triggers still run.
 */
@FunctionalInterface
public interface SystemEventTrigger {
    /** Runs the trigger; returns a Deferred to wait for, or {@code null}. */
    Deferred<?> run() throws Exception;
}
