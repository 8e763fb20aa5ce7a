package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.SetUp;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;

/** Run by the engine's tests: prints from its set-up, its test (at once and in a delayed call) and a cleanup. */
public class PrintsOnTheReactorThread {
    @SetUp
    void setUp() {
        System.out.println("set-up");
    }

    @TrialTest
    Deferred<Void> prints(Reactor reactor, TrialContext test) {
        System.out.println("test");
        System.err.println("to stderr");
        test.addCleanup(() -> System.out.println("cleanup"));
        Deferred<Void> later = new Deferred<>();
        reactor.callLater(Duration.ZERO, () -> {
            System.out.println("later");
            later.callback(null);
        });
        return later;
    }

    @TrialTest
    void printsOnlyInItsSetUp() {
    }
}
