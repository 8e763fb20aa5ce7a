package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * When a system event trigger runs, relative to the event (see {@link
 * ReactorCore#addSystemEventTrigger}): all {@code BEFORE} triggers, then (once every Deferred they
 * returned has fired) the {@code DURING} ones, then the {@code AFTER} ones.
 */
@API(status = STABLE, since = "0.1")
public enum Phase {
    /** First; a Deferred returned here holds the event back until it fires. */
    BEFORE,
    /** The event itself (for shutdown: disconnecting everything, stopping the loop). */
    DURING,
    /** Last. */
    AFTER
}
