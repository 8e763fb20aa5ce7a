package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.task.Tasks;
import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Run by the engine's tests: records the order of everything. */
public class Lifecycle extends LifecycleBase {
    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @SetUp
    Deferred<Void> subclassSetUp(Reactor reactor) {
        return Tasks.deferLater(reactor, Duration.ofMillis(5), () -> {
            EVENTS.add("subclass setUp (after waiting)");
            return null;
        });
    }

    @TrialTest
    void test(TrialContext context) {
        EVENTS.add("test on " + Thread.currentThread().getName());
        context.addCleanup(() -> EVENTS.add("cleanup 1"));
        context.addCleanup(() -> Tasks.deferLater(context.reactor(), Duration.ofMillis(5), () -> {
            EVENTS.add("cleanup 2 (after waiting)");
            return null;
        }));
        context.addCleanup(() -> {
            EVENTS.add("cleanup 3 fails");
            throw new IllegalStateException("cleanup failed");
        });
    }

    @TearDown
    void subclassTearDown() {
        EVENTS.add("subclass tearDown");
    }
}
