package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A lock for code on one thread that waits with Deferreds: Twisted's {@code DeferredLock}, a
 * {@link DeferredSemaphore} with one token. Not thread-safe.
 */
@API(status = STABLE, since = "0.1")
public final class DeferredLock {
    private final DeferredSemaphore semaphore = new DeferredSemaphore(1, "a DeferredLock");

    /**
     * Takes the lock: the Deferred fires with this lock at once if it is free, else when it is
     * handed over. Cancelling a waiting acquire fails it with {@link CancelledException}.
     */
    public Deferred<DeferredLock> acquire() {
        return semaphore.acquire().addCallback(s -> this);
    }

    /**
     * Releases the lock, handing it to the first waiter if there is one.
     *
     * @throws IllegalStateException if it is not locked
     */
    public void release() {
        semaphore.release();
    }

    /** Runs {@code work} holding the lock, until the Deferred it returns fires. */
    public <R> Deferred<R> run(ThrowingSupplier<? extends Deferred<? extends R>> work) {
        return semaphore.run(work);
    }

    /** Whether the lock is held. */
    public boolean isLocked() {
        return semaphore.tokens() == 0;
    }
}
