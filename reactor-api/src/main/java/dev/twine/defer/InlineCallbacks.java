package dev.twine.defer;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Asynchronous code written as if it blocked: Twisted's {@code inlineCallbacks}.
 *
 * <pre>{@code
 * import static dev.twine.defer.InlineCallbacks.await;
 * import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
 *
 * Deferred<Integer> poemLength(String host, int port) {
 *     return inlineCallbacks(() -> {
 *         String poem = await(getPoem(host, port));   // the reactor keeps running meanwhile
 *         return poem.length();
 *     });
 * }
 * }</pre>
 *
 * <p>The body runs on a thread of its own (a virtual thread on Java 21 and later, a platform
 * thread on 17), but never at the same time as the thread that started it: control is handed
 * back and forth like a baton. {@link #inlineCallbacks} returns once the body has finished or is
 * waiting in {@link #await} for a Deferred that has not fired; when that Deferred fires, on
 * whatever thread fires it (the reactor thread, for reactor code), that thread hands control to
 * the body and waits until the body waits again or finishes. So the body may use the reactor and
 * its objects as if it ran on the reactor thread, and every protocol event still runs there. The
 * body must not block any other way; {@code Reactor.isInIOThread()} is false inside it.
 *
 * <p>Semantics, as in Twisted: awaiting a fired Deferred returns at once (without a hand-off); a
 * failed one throws its exception, exactly as thrown, at the {@code await}, where the body may
 * catch it; the body's return value fires the result; an exception escaping the body fails it;
 * cancelling the result cancels the Deferred the body is waiting for (its {@link
 * CancelledException} is thrown into the body). Awaiting takes the Deferred's result: it is left
 * holding {@code null}. The {@link ErrorLog} current where the body is resumed is current in
 * the body. Loops of any length do not grow the stack.
 */
@API(status = STABLE, since = "0.1")
public final class InlineCallbacks {

    private static final ThreadLocal<Coroutine<?>> CURRENT = new ThreadLocal<>();
    private static final AtomicLong NAMES = new AtomicLong();
    private static final ThreadFactory VIRTUAL_THREADS = virtualThreadFactory();

    private InlineCallbacks() {
    }

    /**
     * Runs {@code body} as described above and returns the Deferred of its result. Call it on
     * the thread that owns the Deferreds the body uses (for reactor code, the reactor thread).
     */
    public static <T> Deferred<T> inlineCallbacks(ThrowingSupplier<? extends T> body) {
        Objects.requireNonNull(body, "body");
        Coroutine<T> coroutine = new Coroutine<>(body);
        coroutine.start();
        return coroutine.result;
    }

    /**
     * Inside an {@link #inlineCallbacks} body: waits for {@code deferred} and returns its value,
     * or throws its exception.
     *
     * @throws IllegalStateException if called outside an {@code inlineCallbacks} body
     * @throws Exception the exception {@code deferred} failed with, unchanged
     */
    public static <T> T await(Deferred<T> deferred) throws Exception {
        Objects.requireNonNull(deferred, "deferred");
        Coroutine<?> coroutine = CURRENT.get();
        if (coroutine == null) {
            throw new IllegalStateException("await() can only be called inside an inlineCallbacks(...) body, "
                    + "on the body's own thread; elsewhere add a callback to the Deferred instead");
        }
        Outcome<T> outcome = coroutine.suspendOn(deferred);
        if (outcome.succeeded()) {
            return outcome.value();
        }
        throw outcome.failure().raiseException();
    }

    /**
     * Inside an {@link #inlineCallbacks} body: the thread that gave the body control and waits
     * until it waits again or finishes (for reactor code, the reactor thread); elsewhere null. The
     * two never run at the same time, so an object that must be used from one thread (a simulated
     * reactor, say) may let the body use it in that thread's stead.
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static Thread controllingThread() {
        Coroutine<?> coroutine = CURRENT.get();
        return coroutine == null ? null : coroutine.holder;
    }

    /** Whether Twine runs bodies on virtual threads here (Java 21 and later). */
    public static boolean usesVirtualThreads() {
        return VIRTUAL_THREADS != null;
    }

    /** A message from the body to whoever holds control: it is waiting, or it has finished. */
    private sealed interface Signal permits Waiting, Finished {
    }

    private record Waiting() implements Signal {
    }

    private record Finished(Object value, Failure failure) implements Signal {
    }

    /** A message to the body: the result of what it awaited, and the error log of the thread resuming it. */
    private record Resume(Outcome<?> outcome, ErrorLog log) {
    }

    /**
     * One body and its baton. Fields other than the queues are touched only by whichever thread
     * holds control; the queues' hand-offs order those accesses.
     */
    private static final class Coroutine<T> {
        final ThrowingSupplier<? extends T> body;
        final SynchronousQueue<Resume> toBody = new SynchronousQueue<>();
        final SynchronousQueue<Signal> toHolder = new SynchronousQueue<>();
        final Deferred<T> result;
        /** What the body waits for, while it waits. */
        Deferred<?> awaiting;
        /** The error log errors raised in the body go to: that of the thread that last gave it control. */
        ErrorLog log;
        /** The thread that last gave the body control (written before each hand-off to the body). */
        volatile Thread holder;

        Coroutine(ThrowingSupplier<? extends T> body) {
            this.body = body;
            this.result = new Deferred<>(self -> {
                Deferred<?> waitingFor = awaiting;
                if (waitingFor != null) {
                    waitingFor.cancel();
                }
            });
        }

        void start() {
            log = ErrorLog.current();
            holder = Thread.currentThread();
            Thread thread = newThread(this::runBody);
            thread.setName("twine-inline-callbacks-" + NAMES.incrementAndGet());
            thread.start();
            handle(take(toHolder));
        }

        private void runBody() {
            CURRENT.set(this);
            Object value = null;
            Failure failure = null;
            try (ErrorLog.Binding ignored = ErrorLog.bind((f, why) -> log.err(f, why))) {
                value = body.get();
                if (value instanceof Deferred) {
                    failure = new Failure(new IllegalStateException(
                            "an inlineCallbacks body returned a Deferred; return await(it) instead"));
                }
            } catch (Throwable e) {
                failure = new Failure(e);
            } finally {
                CURRENT.remove();
            }
            hand(toHolder, new Finished(value, failure));
        }

        /** On the body's thread: wait for {@code deferred}, handing control back unless it has fired. */
        <R> Outcome<R> suspendOn(Deferred<R> deferred) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Outcome<R>[] firedAlready = new Outcome[1];
            boolean[] adding = {true};
            deferred.addVoidBoth((value, failure) -> {
                Outcome<R> outcome = failure == null ? Outcome.success(value) : Outcome.failure(failure);
                if (adding[0]) {
                    firedAlready[0] = outcome;
                } else {
                    resume(outcome);
                }
            });
            adding[0] = false;
            if (firedAlready[0] != null) {
                return firedAlready[0];
            }
            awaiting = deferred;
            hand(toHolder, new Waiting());
            Resume resume = take(toBody);
            awaiting = null;
            log = resume.log();
            @SuppressWarnings("unchecked")
            Outcome<R> outcome = (Outcome<R>) resume.outcome();
            return outcome;
        }

        /** On the thread that fired what the body awaited: give the body control, then take it back. */
        private void resume(Outcome<?> outcome) {
            holder = Thread.currentThread();
            hand(toBody, new Resume(outcome, ErrorLog.current()));
            handle(take(toHolder));
        }

        @SuppressWarnings("unchecked")
        private void handle(Signal signal) {
            if (!(signal instanceof Finished finished) || result.isCalled()) {
                // Waiting: the Deferred it waits on will resume it. Called: it was cancelled and ran
                // on; what it finished with is dropped.
                return;
            }
            if (finished.failure() != null) {
                result.errback(finished.failure());
            } else {
                result.callback((T) finished.value());
            }
        }

        private static Thread newThread(Runnable run) {
            if (VIRTUAL_THREADS != null) {
                return VIRTUAL_THREADS.newThread(run);
            }
            Thread thread = new Thread(run);
            thread.setDaemon(true);
            return thread;
        }
    }

    private static <M> void hand(SynchronousQueue<M> queue, M message) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(message);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static <M> M take(SynchronousQueue<M> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true; // the baton must come back; the interrupt is restored afterwards
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code Thread.ofVirtual().factory()} on Java 21 and later (found reflectively: we target 17), else null. */
    private static ThreadFactory virtualThreadFactory() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(ofVirtual.invoke());
        } catch (Throwable notAvailable) {
            return null;
        }
    }
}
