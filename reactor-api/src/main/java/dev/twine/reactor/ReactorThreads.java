package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.defer.ThrowingSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apiguardian.api.API;

/**
 * Threads around the reactor: Twisted's {@code IReactorThreads}. {@link #callFromThread} is the
 * one method any thread may call; it is how work comes back to the reactor thread. Blocking work
 * goes to the reactor's thread pool with {@link #callInThread} or {@link #deferToThread}.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorThreads {

    /**
     * Runs {@code callable} on the reactor thread, soon, waking the reactor if it is waiting.
     * Calls run in the order they were made. Safe from any thread, including the reactor thread;
     * calls made before {@link ReactorCore#run()} run once it starts.
     */
    void callFromThread(Runnable callable);

    /**
     * Runs {@code callable} on a thread of the reactor's pool. The pool starts with the reactor
     * and is stopped when it stops. Called on the reactor thread. An exception is reported to the
     * error log.
     */
    void callInThread(Runnable callable);

    /**
     * Asks for at most {@code size} pool threads, before or after the pool has started; a smaller
     * size takes effect as running work finishes. Called on the reactor thread.
     *
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    void suggestThreadPoolSize(int size);

    /** Whether the caller is on the reactor thread. Safe from any thread. */
    boolean isInIOThread();

    /**
     * Runs {@code work} on the pool and returns a Deferred that fires on the reactor thread with
     * its result or its exception. Called on the reactor thread.
     */
    default <T> Deferred<T> deferToThread(ThrowingSupplier<? extends T> work) {
        Deferred<T> result = new Deferred<>();
        callInThread(() -> {
            Object value;
            boolean ok;
            try {
                value = work.get();
                ok = true;
            } catch (Throwable e) {
                value = new Failure(e);
                ok = false;
            }
            Object outcome = value;
            boolean succeeded = ok;
            callFromThread(() -> {
                if (succeeded) {
                    @SuppressWarnings("unchecked")
                    T typed = (T) outcome;
                    result.callback(typed);
                } else {
                    result.errback((Failure) outcome);
                }
            });
        });
        return result;
    }

    /**
     * From a thread that is not the reactor's: runs {@code work} on the reactor thread, waits for
     * the Deferred it returns, and returns its result or throws its error (the original
     * exception). Blocks the calling thread until then.
     *
     * @throws IllegalStateException if called on the reactor thread, where it could only deadlock
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    default <T> T blockingCallFromThread(ThrowingSupplier<? extends Deferred<? extends T>> work) throws Exception {
        if (isInIOThread()) {
            throw new IllegalStateException("blockingCallFromThread called on the reactor thread; it would wait for itself");
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        callFromThread(() -> Deferred.maybeDeferred(work::get).addVoidBoth((value, failure) -> {
            if (failure == null) {
                outcome.complete(value);
            } else {
                outcome.completeExceptionally(failure.value());
            }
        }));
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw new Failure(e.getCause()).raiseException();
        }
    }
}
