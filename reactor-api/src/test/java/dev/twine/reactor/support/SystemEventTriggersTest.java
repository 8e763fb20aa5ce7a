package dev.twine.reactor.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.reactor.Phase;
import dev.twine.reactor.TriggerHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemEventTriggersTest {
    private final SystemEventTriggers triggers = new SystemEventTriggers();
    private final List<String> events = new ArrayList<>();

    private TriggerHandle add(Phase phase, String name) {
        return triggers.add(phase, "shutdown", () -> {
            events.add(name);
            return null;
        });
    }

    @Test
    void phasesRunBeforeDuringAfterInOrderAdded() {
        add(Phase.AFTER, "after");
        add(Phase.DURING, "during 1");
        add(Phase.BEFORE, "before");
        add(Phase.DURING, "during 2");
        Deferred<Void> done = triggers.fire("shutdown");
        assertThat(events).containsExactly("before", "during 1", "during 2", "after");
        assertThat(done.isCalled()).isTrue();
        triggers.fire("other event");
        assertThat(events).hasSize(4);
    }

    @Test
    void aBeforeTriggersDeferredHoldsTheRestBack() {
        Deferred<Void> first = new Deferred<>();
        Deferred<Void> second = new Deferred<>();
        triggers.add(Phase.BEFORE, "shutdown", () -> first);
        triggers.add(Phase.BEFORE, "shutdown", () -> second);
        add(Phase.DURING, "during");
        Deferred<Void> done = triggers.fire("shutdown");
        first.callback(null);
        assertThat(events).isEmpty();
        second.callback(null);
        assertThat(events).containsExactly("during");
        assertThat(done.isCalled()).isTrue();
    }

    @Test
    void failingTriggersAreLoggedAndTheOthersStillRun() {
        List<String> logged = new ArrayList<>();
        try (ErrorLog.Binding ignored = ErrorLog.bind((f, why) -> logged.add(why + " " + f.getErrorMessage()))) {
            triggers.add(Phase.BEFORE, "shutdown", () -> {
                throw new IllegalStateException("sync failure");
            });
            triggers.add(Phase.BEFORE, "shutdown", () -> Deferred.fail(new IOException("async failure")));
            add(Phase.DURING, "still runs");
            triggers.fire("shutdown");
        }
        assertThat(events).containsExactly("still runs");
        assertThat(logged).hasSize(2);
        assertThat(logged.get(0)).contains("sync failure");
        assertThat(logged.get(1)).contains("async failure");
    }

    @Test
    void removedTriggersDoNotRunAndRemovingTwiceIsAnError() {
        TriggerHandle gone = add(Phase.DURING, "removed");
        add(Phase.DURING, "kept");
        triggers.remove(gone);
        triggers.fire("shutdown");
        assertThat(events).containsExactly("kept");
        assertThatThrownBy(() -> triggers.remove(gone)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTriggerAddedWhileItsPhaseRunsRunsInTheSameFiring() {
        triggers.add(Phase.BEFORE, "shutdown", () -> {
            events.add("first");
            add(Phase.BEFORE, "added by first");
            return null;
        });
        triggers.fire("shutdown");
        assertThat(events).containsExactly("first", "added by first");
    }

    @Test
    void aTriggerRemovedWhileItsPhaseRunsDoesNotRun() {
        TriggerHandle[] later = new TriggerHandle[1];
        triggers.add(Phase.DURING, "shutdown", () -> {
            events.add("remover");
            triggers.remove(later[0]);
            return null;
        });
        later[0] = add(Phase.DURING, "removed");
        add(Phase.DURING, "after the removed one");
        triggers.fire("shutdown");
        assertThat(events).containsExactly("remover", "after the removed one");
    }
}
