package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Run by the engine's tests: errors that reach the log during a test. */
public class Logged {
    public static volatile List<Failure> flushed;

    @TrialTest
    void logsAnError() {
        ErrorLog.current().err(new Failure(new IOException("logged and not flushed")), "Something went wrong:");
    }

    @TrialTest
    void flushesWhatItExpects(TrialContext context) {
        ErrorLog.current().err(new Failure(new IOException("expected")), null);
        flushed = context.flushLoggedErrors(IOException.class);
    }

    @TrialTest
    void leavesAFailureUnhandled() {
        Deferred.fail(new IllegalStateException("nobody handled me"));
    }

    @TrialTest
    Deferred<Void> aDelayedCallThrows(Reactor reactor) {
        Deferred<Void> done = new Deferred<>();
        reactor.callLater(Duration.ZERO, () -> {
            throw new IllegalArgumentException("thrown in a delayed call");
        });
        reactor.callLater(Duration.ofMillis(5), () -> done.callback(null));
        return done;
    }
}
