package dev.twine.reactor.nio;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Runs a reactor on the test thread until the Deferred a test body returns has fired, then stops
 * it. A limit enforced by the reactor's own timer fails the test instead of hanging it. Errors the
 * reactor logs meanwhile are collected in {@link #logged}.
 */
final class Harness {
    static final Duration LIMIT = Duration.ofSeconds(20);

    final NioReactor reactor = new NioReactor();
    final List<String> logged = new CopyOnWriteArrayList<>();
    final List<Failure> loggedFailures = new CopyOnWriteArrayList<>();

    /** Runs the reactor once (a reactor cannot run again after it stopped). */
    <T> T run(Function<NioReactor, Deferred<T>> body) {
        Object[] outcome = new Object[2];
        try (ErrorLog.Binding ignored = ErrorLog.bind((failure, why) -> {
            logged.add(why + " " + failure.getErrorMessage());
            loggedFailures.add(failure);
        })) {
            reactor.callWhenRunning(() -> {
                Deferred<T> result;
                try {
                    result = body.apply(reactor);
                } catch (Throwable e) {
                    result = Deferred.fail(e);
                }
                result.addVoidBoth((value, failure) -> {
                    if (outcome[1] != null) {
                        return; // the limit passed first: the shutdown it caused must not turn the test into a pass
                    }
                    outcome[0] = value;
                    outcome[1] = failure == null ? "ok" : failure;
                    reactor.stop();
                });
            });
            reactor.callLater(LIMIT, () -> {
                if (outcome[1] == null) {
                    outcome[1] = new Failure(new AssertionError("the test did not finish within " + LIMIT));
                    reactor.stop();
                }
            });
            reactor.run();
        }
        if (outcome[1] instanceof Failure failure) {
            throw failure.raiseException();
        }
        if (outcome[1] == null) {
            throw new AssertionError("the reactor stopped before the test finished");
        }
        @SuppressWarnings("unchecked")
        T value = (T) outcome[0];
        return value;
    }
}
