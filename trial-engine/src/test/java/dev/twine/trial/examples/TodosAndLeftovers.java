package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TearDown;
import dev.twine.trial.Todo;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Run by the engine's tests: @Todo covers the test method's failure only; cleanups added late still run. */
public class TodosAndLeftovers {
    public static final List<String> RAN = new ArrayList<>();

    @TrialTest
    @Todo("the feature is not written yet")
    void passesButLeavesACall(Reactor reactor) {
        reactor.callLater(Duration.ofSeconds(99), () -> { });
    }

    @TrialTest
    @Todo("the feature is not written yet")
    void failsAsExpectedButLeavesACall(Reactor reactor) {
        reactor.callLater(Duration.ofSeconds(99), () -> { });
        throw new AssertionError("not written yet");
    }

    @TrialTest
    void cleanupsAddedByCleanupsAndTearDownsRun(TrialContext test) {
        test.addCleanup(() -> {
            RAN.add("first cleanup");
            test.addCleanup(() -> RAN.add("cleanup added by a cleanup"));
        });
        lateCleanups = test;
    }

    private TrialContext lateCleanups;

    @TearDown
    Deferred<Void> addsACleanup() {
        if (lateCleanups != null) {
            lateCleanups.addCleanup(() -> RAN.add("cleanup added by a tear-down"));
        }
        return Deferred.succeed(null);
    }
}
