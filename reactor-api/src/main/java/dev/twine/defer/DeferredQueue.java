package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayDeque;
import org.apiguardian.api.API;

/**
 * A queue whose {@link #get()} returns a Deferred: Twisted's {@code DeferredQueue}. Both ends are
 * bounded. Not thread-safe.
 *
 * @param <T> the items
 */
@API(status = STABLE, since = "0.1")
public final class DeferredQueue<T> {
    private final int size;
    private final int backlog;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private final ArrayDeque<Deferred<T>> waiting = new ArrayDeque<>();

    /** An unbounded queue (bounded only by memory: prefer the bounded constructor). */
    public DeferredQueue() {
        this(Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * A queue holding at most {@code size} items, with at most {@code backlog} gets waiting.
     *
     * @throws IllegalArgumentException if either is negative
     */
    public DeferredQueue(int size, int backlog) {
        if (size < 0 || backlog < 0) {
            throw new IllegalArgumentException("DeferredQueue size and backlog must be >= 0, got " + size + " and " + backlog);
        }
        this.size = size;
        this.backlog = backlog;
    }

    /**
     * Adds {@code item}: the oldest waiting get receives it now; with none waiting it is queued.
     *
     * @throws QueueOverflowException if {@code size} items are already queued
     */
    public void put(T item) {
        Deferred<T> waiter = waiting.poll();
        if (waiter != null) {
            waiter.callback(item);
        } else if (pending.size() < size) {
            pending.add(item);
        } else {
            throw new QueueOverflowException("DeferredQueue is full: it holds " + size + " items");
        }
    }

    /**
     * The next item: fired now if one is queued, else when one is put. A waiting get that is
     * cancelled fails with {@link CancelledException} and gives up its place.
     *
     * @throws QueueUnderflowException if {@code backlog} gets are already waiting
     */
    public Deferred<T> get() {
        if (!pending.isEmpty()) {
            return Deferred.succeed(pending.poll());
        }
        if (waiting.size() >= backlog) {
            throw new QueueUnderflowException("DeferredQueue backlog is full: " + backlog + " gets are waiting");
        }
        Deferred<T> waiter = new Deferred<>(waiting::remove);
        waiting.add(waiter);
        return waiter;
    }

    /** How many items are queued. */
    public int pendingItems() {
        return pending.size();
    }

    /** How many gets wait for an item. */
    public int waitingGets() {
        return waiting.size();
    }
}
