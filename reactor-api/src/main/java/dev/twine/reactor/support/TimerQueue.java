package dev.twine.reactor.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.AlreadyCalledException;
import dev.twine.reactor.AlreadyCancelledException;
import dev.twine.reactor.DelayedCall;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

/**
 * The delayed calls of one reactor or clock, for implementers of {@link
 * dev.twine.reactor.ReactorTime}: a binary heap ordered by due time, then by the order calls were
 * first scheduled (a reset or delayed call keeps its place among calls due at the same time, as
 * in Twisted's {@code task.Clock}). Scheduling, cancelling, resetting and delaying are O(log n);
 * cancelled calls leave the heap at once, so they never pile up. Not thread-safe: use it on the
 * reactor thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TimerQueue {

    /** What to do when a call throws. */
    @API(status = EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface ErrorHandler {
        /** {@code call} threw {@code error}; throw to stop running further calls now. */
        void callFailed(DelayedCall call, Throwable error);
    }

    private final LongSupplier nanoClock;
    private Call[] heap = new Call[16];
    private int size;
    private long nextSequence;

    /**
     * A queue on {@code nanoClock}, a monotonic clock in nanoseconds ({@code System::nanoTime}
     * for a real reactor, a settable counter for a fake one).
     */
    public TimerQueue(LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** The queue's clock reading, in nanoseconds. */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /**
     * Schedules {@code callable} to run {@code delay} from now.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public DelayedCall schedule(Duration delay, Runnable callable) {
        Objects.requireNonNull(callable, "callable");
        Call call = new Call(this, later(nanoTime(), toNanos(delay, "callLater")), nextSequence++, callable);
        add(call);
        return call;
    }

    /** The due time of the earliest call in nanoseconds, or {@link Long#MAX_VALUE} if there is none. */
    public long nextDueNanos() {
        return size == 0 ? Long.MAX_VALUE : heap[0].dueNanos;
    }

    /** Whether no call is waiting. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** How many calls are waiting. */
    public int size() {
        return size;
    }

    /** The waiting calls, in the order they will run. */
    public List<DelayedCall> pending() {
        Call[] copy = Arrays.copyOf(heap, size);
        Arrays.sort(copy, ORDER);
        return List.of(copy);
    }

    /**
     * Runs every call that is due now, in order.
     *
     * @param includeNew whether calls scheduled by the calls being run, and already due, run in
     *     this pass too ({@code task.Clock} does this); a reactor passes false so that a call that
     *     keeps rescheduling itself with no delay cannot starve I/O
     * @param onError told of each call that throws; the remaining calls still run unless it throws
     * @return how many calls ran
     */
    public int runDue(boolean includeNew, ErrorHandler onError) {
        long now = nanoTime();
        // A call scheduled while this pass runs is due no earlier than `now`, so every older due
        // call sorts before it: the pass may simply stop at the first new call.
        long sequenceLimit = includeNew ? Long.MAX_VALUE : nextSequence;
        int ran = 0;
        while (size > 0 && heap[0].dueNanos <= now && heap[0].sequence < sequenceLimit) {
            Call call = removeAt(0);
            call.state = Call.CALLED;
            ran++;
            try {
                call.callable.run();
            } catch (Throwable e) {
                onError.callFailed(call, e);
            }
            if (includeNew) {
                now = nanoTime();
            }
        }
        return ran;
    }

    /** Cancels every waiting call and returns them (for a janitor or a shutdown). */
    public List<DelayedCall> cancelAll() {
        List<DelayedCall> cancelled = pending();
        for (int i = 0; i < size; i++) {
            heap[i].state = Call.CANCELLED;
            heap[i].index = -1;
            heap[i] = null;
        }
        size = 0;
        return cancelled;
    }

    static long toNanos(Duration delay, String what) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException(what + ": the delay must not be negative, got " + delay);
        }
        try {
            return delay.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4; // centuries: never, in practice, without overflowing sums
        }
    }

    /** A due time so far away it is never reached, yet far from overflowing when the loop subtracts the clock from it. */
    static final long NEVER = Long.MAX_VALUE / 2;

    /**
     * {@code due + delay}, held at {@link #NEVER}: a far-future delay, or several {@code delay}
     * calls adding up, must not wrap around into the past and run the call at once.
     */
    static long later(long due, long delayNanos) {
        long sum = due + delayNanos;
        return sum < due || sum > NEVER ? NEVER : sum;
    }

    private static final Comparator<Call> ORDER = (a, b) -> {
        int byTime = Long.compare(a.dueNanos, b.dueNanos);
        return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
    };

    private static boolean before(Call a, Call b) {
        return a.dueNanos < b.dueNanos || (a.dueNanos == b.dueNanos && a.sequence < b.sequence);
    }

    private void add(Call call) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        call.index = size;
        heap[size++] = call;
        siftUp(call.index);
    }

    private Call removeAt(int index) {
        Call removed = heap[index];
        Call last = heap[--size];
        heap[size] = null;
        removed.index = -1;
        if (index != size) {
            heap[index] = last;
            last.index = index;
            siftDown(index);
            if (last.index == index) {
                siftUp(index);
            }
        }
        return removed;
    }

    private void reposition(Call call) {
        siftUp(call.index);
        siftDown(call.index);
    }

    private void siftUp(int index) {
        Call call = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            Call p = heap[parent];
            if (!before(call, p)) {
                break;
            }
            heap[index] = p;
            p.index = index;
            index = parent;
        }
        heap[index] = call;
        call.index = index;
    }

    private void siftDown(int index) {
        Call call = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], call)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].index = index;
            index = child;
        }
        heap[index] = call;
        call.index = index;
    }

    private static final class Call implements DelayedCall {
        static final int ACTIVE = 0;
        static final int CALLED = 1;
        static final int CANCELLED = 2;

        final TimerQueue queue;
        final Runnable callable;
        long dueNanos;
        final long sequence;
        int index = -1;
        int state = ACTIVE;

        Call(TimerQueue queue, long dueNanos, long sequence, Runnable callable) {
            this.queue = queue;
            this.dueNanos = dueNanos;
            this.sequence = sequence;
            this.callable = callable;
        }

        @Override
        public double getTime() {
            return dueNanos / 1e9;
        }

        @Override
        public void cancel() {
            checkActive("cancel");
            state = CANCELLED;
            queue.removeAt(index);
        }

        @Override
        public void delay(Duration secondsLater) {
            checkActive("delay");
            dueNanos = later(dueNanos, toNanos(secondsLater, "delay"));
            queue.reposition(this);
        }

        @Override
        public void reset(Duration secondsFromNow) {
            checkActive("reset");
            dueNanos = later(queue.nanoTime(), toNanos(secondsFromNow, "reset"));
            queue.reposition(this);
        }

        private void checkActive(String what) {
            if (state == CALLED) {
                throw new AlreadyCalledException("cannot " + what + " " + this + ": it has already been called");
            }
            if (state == CANCELLED) {
                throw new AlreadyCancelledException("cannot " + what + " " + this + ": it has already been cancelled");
            }
        }

        @Override
        public boolean isActive() {
            return state == ACTIVE;
        }

        @Override
        public boolean isCalled() {
            return state == CALLED;
        }

        @Override
        public boolean isCancelled() {
            return state == CANCELLED;
        }

        @Override
        public String toString() {
            double inSeconds = (dueNanos - queue.nanoTime()) / 1e9;
            return String.format("<DelayedCall@%x [%.2fs] called=%b cancelled=%b %s>",
                    System.identityHashCode(this), inSeconds, state == CALLED, state == CANCELLED, callable);
        }
    }
}
