package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** Identifies a trigger added with {@link ReactorCore#addSystemEventTrigger}, to remove it later. */
@API(status = STABLE, since = "0.1")
public final class TriggerHandle {
    private final Phase phase;
    private final String eventType;

    /** For reactor implementations: a handle for a trigger at {@code phase} of {@code eventType}. */
    public TriggerHandle(Phase phase, String eventType) {
        this.phase = phase;
        this.eventType = eventType;
    }

    /** The phase the trigger was added to. */
    public Phase phase() {
        return phase;
    }

    /** The event type the trigger was added to. */
    public String eventType() {
        return eventType;
    }

    @Override
    public String toString() {
        return "TriggerHandle[" + phase + " " + eventType + "]";
    }
}
