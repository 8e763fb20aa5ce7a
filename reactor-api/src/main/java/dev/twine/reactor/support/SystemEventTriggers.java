package dev.twine.reactor.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.reactor.Phase;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The system event triggers of one reactor, for implementers of {@link
 * dev.twine.reactor.ReactorCore}: Twisted's three-phase events. Not thread-safe: use it on the
 * reactor thread.
 *
 * <p>Firing an event runs its {@link Phase#BEFORE} triggers in the order added (including ones
 * added meanwhile), waits for every Deferred they returned, then runs the {@link Phase#DURING}
 * and {@link Phase#AFTER} triggers. A trigger that throws, or whose Deferred fails, is reported to
 * the current {@link ErrorLog}; the others still run. Triggers stay registered after firing.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SystemEventTriggers {

    private final Map<String, Event> events = new HashMap<>();

    /** Adds {@code trigger} at {@code phase} of {@code eventType}. */
    public TriggerHandle add(Phase phase, String eventType, SystemEventTrigger trigger) {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(trigger, "trigger");
        TriggerHandle handle = new TriggerHandle(phase, eventType);
        events.computeIfAbsent(eventType, type -> new Event()).phase(phase).add(new Entry(handle, trigger));
        return handle;
    }

    /**
     * Removes the trigger {@code handle} names; one whose event is firing and that has not run yet
     * will not run.
     *
     * @throws IllegalArgumentException if there is no such trigger
     */
    public void remove(TriggerHandle handle) {
        Event event = events.get(handle.eventType());
        boolean removed = event != null && event.remove(handle);
        if (!removed) {
            throw new IllegalArgumentException("no such system event trigger: " + handle);
        }
    }

    /**
     * Fires {@code eventType}. Returns a Deferred that fires (with {@code null}) once the {@code
     * after} triggers have run: at once, unless a {@code before} trigger returned a Deferred that
     * has not fired.
     */
    public Deferred<Void> fire(String eventType) {
        Event event = events.computeIfAbsent(eventType, type -> new Event());
        return event.fire();
    }

    private record Entry(TriggerHandle handle, SystemEventTrigger trigger) {
    }

    private static final class Event {
        final Map<Phase, List<Entry>> phases = new EnumMap<>(Phase.class);
        /** While a phase runs: the position of the next trigger of that phase. */
        final Map<Phase, Integer> cursors = new EnumMap<>(Phase.class);

        List<Entry> phase(Phase phase) {
            return phases.computeIfAbsent(phase, p -> new ArrayList<>());
        }

        boolean remove(TriggerHandle handle) {
            List<Entry> entries = phase(handle.phase());
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).handle() == handle) {
                    entries.remove(i);
                    Integer cursor = cursors.get(handle.phase());
                    if (cursor != null && i < cursor) {
                        cursors.put(handle.phase(), cursor - 1);
                    }
                    return true;
                }
            }
            return false;
        }

        Deferred<Void> fire() {
            List<Deferred<Object>> waits = new ArrayList<>();
            runPhase(Phase.BEFORE, waits);
            return DeferredList.of(waits, DeferredList.Option.CONSUME_ERRORS).addVoidCallback(outcomes -> {
                for (var outcome : outcomes) {
                    if (!outcome.succeeded()) {
                        ErrorLog.current().err(outcome.failure(), "A 'before' system event trigger failed:");
                    }
                }
                runPhase(Phase.DURING, null);
                runPhase(Phase.AFTER, null);
            });
        }

        @SuppressWarnings("unchecked")
        private void runPhase(Phase phase, List<Deferred<Object>> waits) {
            List<Entry> entries = phase(phase);
            cursors.put(phase, 0);
            try {
                while (true) {
                    int at = cursors.get(phase);
                    if (at >= entries.size()) {
                        return;
                    }
                    cursors.put(phase, at + 1);
                    Entry entry = entries.get(at);
                    try {
                        Deferred<?> result = entry.trigger().run();
                        if (result != null && waits != null) {
                            waits.add((Deferred<Object>) result);
                        }
                    } catch (Throwable e) {
                        ErrorLog.current().err(new Failure(e), "A system event trigger failed (" + phase + " " + entry.handle().eventType() + "):");
                    }
                }
            } finally {
                cursors.remove(phase);
            }
        }
    }
}
