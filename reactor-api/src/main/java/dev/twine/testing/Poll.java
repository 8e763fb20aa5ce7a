package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ReactorThreads;
import dev.twine.reactor.ReactorTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Waiting, on a running reactor, for something another thread does (a server or client on a
 * thread of its own reaching a state), as a Deferred that fires on the reactor thread. Two ways:
 *
 * <ul>
 *   <li>Polling ({@link #until}, {@link #value}, {@link #future}): the condition is checked at
 *       once and then every {@link #INTERVAL} on the reactor's own clock, from the reactor
 *       thread. It relies on timers only, which keeps a test about I/O independent of {@code
 *       callFromThread}; but the timer keeps the loop busy, so a reactor that loses wake-ups
 *       looks fine meanwhile.
 *   <li>Being woken ({@link #woken}): the other thread hands the result over with {@code
 *       callFromThread} when it has it, and no timer runs meanwhile: the reactor sits idle in its
 *       wait, so only a working wake-up delivers it. Tests of wake-ups and latency wait this way,
 *       and so does any test whose fault could hide behind a busy loop.
 * </ul>
 *
 * <p>Call these on the reactor thread (the polling ones schedule with {@code callLater}). The
 * conditions and suppliers run on the reactor thread too, so they must not block; one that throws
 * fails the Deferred with what it threw. Nothing is buffered: a poll holds one pending timer.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Poll {
    /** How often a condition is checked. */
    public static final Duration INTERVAL = Duration.ofMillis(2);

    private Poll() {
    }

    /** Fires once {@code condition} holds. Cancelling it stops the polling. */
    public static Deferred<Void> until(ReactorTime reactor, BooleanSupplier condition) {
        return value(reactor, () -> condition.getAsBoolean() ? Boolean.TRUE : null).addCallback(ignored -> null);
    }

    /** Fires with the first non-null value {@code value} gives. Cancelling it stops the polling. */
    public static <T> Deferred<T> value(ReactorTime reactor, Supplier<T> value) {
        DelayedCall[] next = new DelayedCall[1];
        Deferred<T> result = new Deferred<>(self -> {
            if (next[0] != null && next[0].isActive()) {
                next[0].cancel();
            }
        });
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (result.isCalled()) {
                return;
            }
            T found;
            try {
                found = value.get();
            } catch (Throwable e) {
                result.errback(new Failure(e));
                return;
            }
            if (found != null) {
                result.callback(found);
            } else {
                next[0] = reactor.callLater(INTERVAL, check[0]);
            }
        };
        check[0].run();
        return result;
    }

    /**
     * Fires with what {@code future} completes with (polled, not called back from the completing
     * thread). A failed future fails it with the {@link CompletionException} that {@code join}
     * throws, its cause being the future's. Cancelling it stops the polling.
     */
    public static <T> Deferred<T> future(ReactorTime reactor, CompletableFuture<T> future) {
        return value(reactor, () -> future.isDone() ? future : null).addCallback(CompletableFuture::join);
    }

    /**
     * Fires, on the reactor thread, with what {@code future} completes with, handed over by the
     * completing thread through {@code callFromThread}: no timer runs meanwhile, so the reactor
     * stays idle until it is woken. A failed future fails the Deferred with its cause.
     */
    public static <T> Deferred<T> woken(ReactorThreads reactor, CompletableFuture<T> future) {
        Deferred<T> result = new Deferred<>();
        future.whenComplete((value, error) -> reactor.callFromThread(() -> {
            if (result.isCalled()) {
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                result.errback(new Failure(cause));
            } else {
                result.callback(value);
            }
        }));
        return result;
    }
}
