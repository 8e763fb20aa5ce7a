package dev.twine.reactor;

/**
 * When a system event trigger runs, relative to the event (see {@link
 * ReactorCore#addSystemEventTrigger}): all {@code BEFORE} triggers, then (once every Deferred they
 * returned has fired) the {@code DURING} ones, then the {@code AFTER} ones.
 */
public enum Phase {
    /** First; a Deferred returned here holds the event back until it fires. */
    BEFORE,
    /** The event itself (for shutdown: disconnecting everything, stopping the loop). */
    DURING,
    /** Last. */
    AFTER
}
