package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Run by the engine's tests with parallel classes: eight asynchronous tests that must never overlap. */
public class EightInOneClass {
    public static final AtomicInteger RUNNING = new AtomicInteger();
    public static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

    private static Deferred<Void> waitALittle(Reactor reactor) {
        MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
        Deferred<Void> done = new Deferred<>();
        reactor.callLater(Duration.ofMillis(100), () -> {
            RUNNING.decrementAndGet();
            done.callback(null);
        });
        return done;
    }

    @TrialTest
    Deferred<Void> one(Reactor reactor) {
        return waitALittle(reactor);
    }

    @TrialTest
    Deferred<Void> two(Reactor reactor) {
        return waitALittle(reactor);
    }

    @TrialTest
    Deferred<Void> three(Reactor reactor) {
        return waitALittle(reactor);
    }

    @TrialTest
    Deferred<Void> four(Reactor reactor) {
        return waitALittle(reactor);
    }

    @TrialTest
    Deferred<Void> five(Reactor reactor) {
        return waitALittle(reactor);
    }

    @TrialTest
    Deferred<Void> six(Reactor reactor) {
        return waitALittle(reactor);
    }

    @TrialTest
    Deferred<Void> seven(Reactor reactor) {
        return waitALittle(reactor);
    }

    @TrialTest
    Deferred<Void> eight(Reactor reactor) {
        return waitALittle(reactor);
    }
}
