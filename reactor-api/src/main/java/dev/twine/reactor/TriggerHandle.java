package dev.twine.reactor;

/** Identifies a trigger added with {@link ReactorCore#addSystemEventTrigger}, to remove it later. */
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
