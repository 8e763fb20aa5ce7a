package dev.twine.log;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Receives every event logged while it is added ({@link Log#addObserver}). Called on the thread
 * that logged, which may be any thread, so an observer is thread-safe; it should not throw (one
 * that does is reported on {@code System.err}, and the other observers still receive the event).
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface LogObserver {
    /** An event was logged. */
    void emit(LogEvent event);
}
