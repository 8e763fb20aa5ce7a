package dev.twine.trial.examples;

import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Run by the engine's tests. */
public class SetUpFails {
    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @SetUp
    void setUp(TrialContext context) {
        context.addCleanup(() -> EVENTS.add("cleanup"));
        throw new IllegalStateException("set-up failed");
    }

    @TrialTest
    void test() {
        EVENTS.add("test");
    }

    @TearDown
    void tearDown() {
        EVENTS.add("tearDown");
    }
}
