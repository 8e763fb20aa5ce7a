package dev.twine.task;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Deferred;
import dev.twine.defer.ThrowingSupplier;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ReactorTime;
import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/** Small helpers on a {@link ReactorTime}: Twisted's {@code task} module functions. */
@API(status = STABLE, since = "0.1")
public final class Tasks {
    private Tasks() {
    }

    /**
     * Calls {@code work} after {@code delay} on {@code clock}; the Deferred fires with its result
     * or its exception. Cancelling the Deferred before then cancels the call (the Deferred fails
     * with {@link dev.twine.defer.CancelledException}).
     */
    public static <T> Deferred<T> deferLater(ReactorTime clock, Duration delay, ThrowingSupplier<? extends T> work) {
        Objects.requireNonNull(work, "work");
        DelayedCall[] call = new DelayedCall[1];
        Deferred<Void> timer = new Deferred<>(self -> call[0].cancel());
        call[0] = clock.callLater(delay, () -> timer.callback(null));
        return timer.addCallback(ignored -> work.get());
    }

    /** A Deferred that fires with {@code null} after {@code delay} on {@code clock}; cancellable. */
    public static Deferred<Void> deferLater(ReactorTime clock, Duration delay) {
        return deferLater(clock, delay, () -> null);
    }
}
