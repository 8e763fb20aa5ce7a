package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayDeque;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A semaphore for code on one thread that waits with Deferreds: Twisted's {@code
 * DeferredSemaphore}. {@link #acquire()} fires at once while tokens are left, else when one is
 * released; waiters are served first come, first served. Not thread-safe.
 */
@API(status = STABLE, since = "0.1")
public final class DeferredSemaphore {
    private final String name;
    private final int limit;
    private int tokens;
    private final ArrayDeque<Deferred<DeferredSemaphore>> waiting = new ArrayDeque<>();

    /**
     * A semaphore with {@code tokens} tokens.
     *
     * @throws IllegalArgumentException if {@code tokens < 1}
     */
    public DeferredSemaphore(int tokens) {
        this(tokens, "a DeferredSemaphore(" + tokens + ")");
    }

    DeferredSemaphore(int tokens, String name) {
        this.name = name;
        if (tokens < 1) {
            throw new IllegalArgumentException("DeferredSemaphore requires tokens >= 1, got " + tokens);
        }
        this.limit = tokens;
        this.tokens = tokens;
    }

    /**
     * Takes a token: the Deferred fires with this semaphore once one is available. Cancelling a
     * Deferred still waiting fails it with {@link CancelledException} and gives up its place;
     * cancelling one that has fired does nothing (the token is held).
     */
    public Deferred<DeferredSemaphore> acquire() {
        if (tokens > 0) {
            tokens--;
            return Deferred.succeed(this);
        }
        Deferred<DeferredSemaphore> waiter = new Deferred<>(waiting::remove);
        waiting.add(waiter);
        return waiter;
    }

    /**
     * Returns a token: the first waiter, if any, gets it now.
     *
     * @throws IllegalStateException if every token is already free
     */
    public void release() {
        if (tokens == limit) {
            throw new IllegalStateException("released " + name + " more often than it was acquired");
        }
        Deferred<DeferredSemaphore> next = waiting.poll();
        if (next != null) {
            next.callback(this);
        } else {
            tokens++;
        }
    }

    /**
     * Acquires, calls {@code work}, and releases when the Deferred it returns fires (or when it
     * throws). The result is {@code work}'s.
     */
    public <R> Deferred<R> run(ThrowingSupplier<? extends Deferred<? extends R>> work) {
        Objects.requireNonNull(work, "work");
        return acquire().addDeferredCallback(self -> Deferred.<R>maybeDeferred(work)).addBoth((value, failure) -> {
            release();
            if (failure != null) {
                throw failure.raiseException();
            }
            return value;
        });
    }

    /** How many tokens are free now. */
    public int tokens() {
        return tokens;
    }

    /** How many tokens there are in all. */
    public int limit() {
        return limit;
    }

    /** How many acquirers wait. */
    public int waiting() {
        return waiting.size();
    }
}
