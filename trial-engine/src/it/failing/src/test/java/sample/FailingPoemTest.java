package sample;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.task.Tasks;
import dev.twine.trial.TrialTest;
import java.time.Duration;

class FailingPoemTest {
    @TrialTest
    Deferred<Void> failsLater(Reactor reactor) {
        return Tasks.deferLater(reactor, Duration.ofMillis(10), () -> {
            throw new AssertionError("the poem was prose");
        });
    }

    /** Leaves a delayed call: the janitor's DirtyReactorError, which Surefire counts as an error, as trial does. */
    @TrialTest
    void leavesACall(Reactor reactor) {
        reactor.callLater(Duration.ofSeconds(99), () -> { });
    }
}
