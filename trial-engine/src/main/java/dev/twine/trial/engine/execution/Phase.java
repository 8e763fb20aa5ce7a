package dev.twine.trial.engine.execution;

import dev.twine.defer.Deferred;

/**
 * One phase of a test: constructing the instance, a set-up, the test, a cleanup, a tear-down, the
 * janitor's check. Created and changed on the reactor thread by the {@link PhaseSequence}; the
 * {@link Watchdog} on the engine thread reads only {@link #name} and {@link #started}, and posts a
 * time-out back to the reactor thread when the timeout passes. Timing it there rather than with a
 * delayed call keeps the reactor's delayed calls the test's own.
 */
final class Phase {
    final String name;
    final long started = System.nanoTime();
    /** Set when the phase waits for a Deferred: fired with whether the phase succeeded. Reactor thread. */
    Deferred<Boolean> finished;
    /** What the phase waits for, to cancel on time-out. Reactor thread. */
    Deferred<?> waitingFor;
    /** Whether the phase was timed out (its cancellation is then not an error of its own). Reactor thread. */
    boolean timedOut;

    Phase(String name) {
        this.name = name;
    }
}
