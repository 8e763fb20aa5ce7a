package dev.twine.trial.engine.execution;

import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTimeoutError;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Times one test's phases from the engine thread, which waits here while the test runs on the
 * reactor thread. When a phase runs past the timeout, it posts the time-out to the reactor thread
 * (which cancels what the phase waits for); when the reactor thread does not get to that within a
 * grace period, user code is blocking it, and the watchdog gives up on the test. Runs on the
 * engine thread only; it owns no state of the test, only its own timing.
 */
final class Watchdog {
    private final ClassRun run;
    private final Reactor reactor;
    private final PhaseSequence sequence;
    private final String testName;
    private final Duration timeout;

    Watchdog(ClassRun run, PhaseSequence sequence, String testName, Duration timeout) {
        this.run = run;
        this.reactor = run.reactor();
        this.sequence = sequence;
        this.testName = testName;
        this.timeout = timeout;
    }

    /**
     * How long past a phase's timeout the engine waits before it calls the reactor thread blocked:
     * as long as the timeout, between 1 and 5 seconds.
     */
    static Duration blockedGrace(Duration timeout) {
        Duration oneSecond = Duration.ofSeconds(1);
        Duration fiveSeconds = Duration.ofSeconds(5);
        return timeout.compareTo(oneSecond) < 0 ? oneSecond : timeout.compareTo(fiveSeconds) > 0 ? fiveSeconds : timeout;
    }

    /**
     * Waits for the sequence's outcome, timing each phase: when one runs past the timeout, asks the
     * reactor thread to time it out; when the reactor thread does not get to that within the grace
     * period, returns the "blocked the reactor thread" outcome instead.
     */
    Outcome watch() throws InterruptedException {
        long timeoutNanos = timeout.toNanos();
        long graceNanos = blockedGrace(timeout).toNanos();
        Phase watched = null;
        long timeOutPosted = 0;
        while (true) {
            Phase current = sequence.phase();
            if (current != watched) {
                watched = current;
                timeOutPosted = 0;
            }
            long now = System.nanoTime();
            long wait;
            if (timeOutPosted == 0) {
                wait = timeoutNanos - (now - current.started); // no overflow for a timeout near Long.MAX_VALUE ns
                if (wait <= 0) {
                    timeOutPosted = now;
                    reactor.callFromThread(() -> sequence.timeOut(current));
                    continue;
                }
            } else {
                wait = graceNanos - (now - timeOutPosted);
                if (wait <= 0) {
                    return blocked(current, now - current.started);
                }
            }
            try {
                return sequence.done().get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillRunning) {
                // look again
            } catch (ExecutionException e) {
                Outcome broken = new Outcome();
                broken.error(e.getCause());
                return broken;
            }
        }
    }

    /** The reactor thread has not come back: user code blocks it. Gives up on this class's reactor. */
    private Outcome blocked(Phase phase, long busyNanos) {
        run.blockedBy(testName);
        StackTraceElement[] stack = run.thread().getStackTrace();
        TrialTimeoutError error = new TrialTimeoutError(testName + " blocked the reactor thread: it has been busy in "
                + phase.name + " for " + TestRun.seconds(Duration.ofNanos(busyNanos)) + " (the timeout is "
                + TestRun.seconds(timeout) + " and cannot fire while the thread is blocked). Code on the reactor thread "
                + "must not block; use deferToThread for blocking work. The reactor thread's stack is attached.");
        Throwable where = new Throwable("the reactor thread (" + run.thread().getName() + ") now");
        where.setStackTrace(stack);
        error.initCause(where);
        Outcome blocked = new Outcome();
        blocked.error(error);
        return blocked;
    }
}
