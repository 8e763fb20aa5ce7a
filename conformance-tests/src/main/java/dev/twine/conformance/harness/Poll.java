package dev.twine.conformance.harness;

import dev.twine.defer.Deferred;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ReactorThreads;
import dev.twine.reactor.ReactorTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting, on the reactor under test, for something another thread does (a fake server or client
 * reaching a state). Two ways:
 *
 * <ul>
 *   <li>Polling ({@link #until}, {@link #value}, {@link #future}, {@link #finished}): the condition
 *       is checked now and then every {@link #INTERVAL} on the reactor's own clock. It relies on
 *       timers only, which keeps a rule about I/O independent of {@code callFromThread}; but the
 *       timer keeps the loop busy, so a reactor that loses wake-ups looks fine meanwhile.
 *   <li>Being woken ({@link #woken}, {@link #finishedWoken}): the other thread hands the result
 *       over with {@code callFromThread} when it has it, and no timer runs meanwhile: the reactor
 *       sits idle in its wait, so only a working wake-up delivers it. Rules about wake-ups and
 *       latency wait this way, and so does any rule whose fault could hide behind a busy loop.
 * </ul>
 */
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
                result.errback(new dev.twine.defer.Failure(e));
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

    /** Fires with what {@code future} completes with (polled, not called back from its thread). */
    public static <T> Deferred<T> future(ReactorTime reactor, CompletableFuture<T> future) {
        return value(reactor, () -> future.isDone() ? future : null).addCallback(CompletableFuture::join);
    }

    /** Fires with the client's record once it has finished its script and its connection has ended. */
    public static Deferred<ClientRecord> finished(ReactorTime reactor, FakeClient client) {
        return future(reactor, client.finished());
    }

    /**
     * Fires, on the reactor thread, with what {@code future} completes with, handed over by the
     * completing thread through {@code callFromThread}: no timer runs meanwhile, so the reactor
     * stays idle until it is woken. A failed future fails the Deferred.
     */
    public static <T> Deferred<T> woken(ReactorThreads reactor, CompletableFuture<T> future) {
        Deferred<T> result = new Deferred<>();
        future.whenComplete((value, error) -> reactor.callFromThread(() -> {
            if (result.isCalled()) {
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                result.errback(new dev.twine.defer.Failure(cause));
            } else {
                result.callback(value);
            }
        }));
        return result;
    }

    /** {@link #finished} without polling: the client's thread wakes the reactor when it is done. */
    public static Deferred<ClientRecord> finishedWoken(ReactorThreads reactor, FakeClient client) {
        return woken(reactor, client.finished());
    }

    /** Fires after {@code delay} on the reactor's clock. */
    public static Deferred<Void> sleep(ReactorTime reactor, Duration delay) {
        Deferred<Void> result = new Deferred<>();
        reactor.callLater(delay, () -> result.callback(null));
        return result;
    }
}
