package dev.twine.sim;

import java.util.Arrays;

/**
 * A host's internal events (deliveries from the network, flushes, thread-pool completions): a
 * binary heap ordered by due time, then by the order they were scheduled, so that events due at
 * the same instant on one host keep their order (bytes on a connection stay in order). Not
 * exposed to user code: {@code getDelayedCalls()} lists the user's calls only.
 */
final class EventQueue {
    /** One scheduled action. */
    static final class Event {
        final long due;
        final long sequence;
        final Runnable action;

        Event(long due, long sequence, Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
        }
    }

    private Event[] heap = new Event[32];
    private int size;
    private long nextSequence;

    void add(long due, Runnable action) {
        Event event = new Event(due, nextSequence++, action);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int index = size++;
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!before(event, heap[parent])) {
                break;
            }
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = event;
    }

    long nextDue() {
        return size == 0 ? Long.MAX_VALUE : heap[0].due;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The sequence number the next event will get: events scheduled from now on are at or after it. */
    long mark() {
        return nextSequence;
    }

    /** Removes and returns the first event if it is due at {@code now} and was scheduled before {@code mark}. */
    Event pollDue(long now, long mark) {
        if (size == 0 || heap[0].due > now || heap[0].sequence >= mark) {
            return null;
        }
        Event first = heap[0];
        Event last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int index = 0;
            int half = size >>> 1;
            while (index < half) {
                int child = 2 * index + 1;
                int right = child + 1;
                if (right < size && before(heap[right], heap[child])) {
                    child = right;
                }
                if (!before(heap[child], last)) {
                    break;
                }
                heap[index] = heap[child];
                index = child;
            }
            heap[index] = last;
        }
        return first;
    }

    void clear() {
        Arrays.fill(heap, 0, size, null);
        size = 0;
    }

    private static boolean before(Event a, Event b) {
        return a.due < b.due || (a.due == b.due && a.sequence < b.sequence);
    }
}
