package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ReactorTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * A result that is not there yet: Twisted's {@code Deferred}, with its semantics.
 *
 * <h2>The chain</h2>
 * A Deferred holds a chain of steps, each a (callback, errback) pair; a missing half passes the
 * result through. When the Deferred fires ({@link #callback} or {@link #errback}), the result
 * runs down the chain: a value goes to the next callback, a {@link Failure} to the next errback,
 * and each step's return value becomes the result for the next. A step that throws, or returns
 * a {@code Failure}, moves the chain to the errback side; an errback that returns a value moves
 * it back. Steps added after the Deferred has fired run at once, in the caller; a step added by a
 * running step is appended and runs after it returns.
 *
 * <h2>Typing</h2>
 * The adding methods return this same Deferred, retyped to the result the chain will then carry
 * ({@code Deferred<String>} → {@code addCallback(String::length)} → {@code Deferred<Integer>}).
 * Keep using the returned reference: the chain is one object, so an earlier reference sees the
 * later results too. A step that returns a value is added with {@code addCallback}, {@code
 * addErrback} or {@code addBoth}; a step that returns another Deferred to wait for is added with
 * the {@code addDeferred…} twin; a step that only uses the result and returns nothing, with the
 * {@code addVoid…} twin (the chain then carries {@code null}, as a Python step returning {@code
 * None} leaves it). A plain step that returns a Deferred is a mistake, reported as a Failure on
 * the chain; a Deferred's result is never a Deferred.
 *
 * <p>The retyping invites one mistake: extending an <em>earlier</em> reference. After {@code
 * Deferred<Integer> n = text.addCallback(String::length)}, {@code text} still compiles as a
 * {@code Deferred<String>}, but its chain now carries an Integer, so {@code
 * text.addCallback(String::trim)} fails at run time with a {@link ClassCastException} on the
 * chain. Chain fluently, or keep only the newest reference.
 *
 * <h2>Chaining</h2>
 * When a step added with an {@code addDeferred…} method returns a Deferred that has not fired (or
 * is paused), this chain pauses until that inner Deferred fires; the inner's result (value or
 * Failure) then continues this chain, and the inner is left holding {@code null}. An inner that
 * has already fired continues this chain at once. Chaining is iterative: long chains, deep
 * nesting and recursive asynchronous loops do not grow the stack. Past {@value
 * #MAX_SYNCHRONOUS_DEPTH} nested firings on one thread, further firings are queued and run as
 * soon as the outermost one returns, still before it returns to its caller.
 *
 * <h2>Threads</h2>
 * A Deferred is not thread-safe: create, fire and extend it on one thread (for reactor code, the
 * reactor thread; use {@code callFromThread} to come back to it). Steps run on the thread that
 * fires the Deferred or that adds a step to a fired one.
 *
 * <h2>Unhandled errors</h2>
 * A Deferred that becomes garbage while its chain has ended on a Failure reports it, with its
 * trace, to the {@link ErrorLog} that was current when the chain ended there
 * ({@value ErrorLog#UNHANDLED_IN_DEFERRED}). One still holding such a Failure when the JVM exits
 * reports it then, once, as Twisted does at interpreter exit; the system property {@code
 * twine.defer.reportUnhandledAtExit=false} turns that off.
 *
 * @param <T> the type of the result the chain carries at this point
 */
@API(status = STABLE, since = "0.1")
public final class Deferred<T> {

    /** How many firings may nest on one thread before further ones are queued (see "Chaining"). */
    public static final int MAX_SYNCHRONOUS_DEPTH = 100;

    private static final Object NO_RESULT = new Object();
    private static final Step[] NO_STEPS = new Step[0];
    private static final ThreadLocal<Trampoline> TRAMPOLINE = ThreadLocal.withInitial(Trampoline::new);

    private Object result = NO_RESULT;
    private boolean called;
    private int pauseCount;
    /** The inner Deferred this chain waits for, or null. */
    private Deferred<?> waitingOn;
    private boolean runningCallbacks;
    private boolean scheduled;
    private boolean suppressAlreadyCalled;
    private Consumer<? super Deferred<T>> canceller;
    private UnhandledFailures.Tracker unhandled;

    private Step[] steps = NO_STEPS;
    private int head;
    private int tail;

    /** A Deferred with no canceller: {@link #cancel()} fails it with {@link CancelledException}. */
    public Deferred() {
    }

    /**
     * A Deferred whose {@link #cancel()} first calls {@code canceller} with it. The canceller
     * should stop the work and may fire the Deferred itself; if it does not, the Deferred fails
     * with {@link CancelledException}.
     */
    public Deferred(Consumer<? super Deferred<T>> canceller) {
        this.canceller = Objects.requireNonNull(canceller, "canceller");
    }

    // ----------------------------------------------------------------------------------------
    // Making Deferreds

    /** A Deferred that has already fired with {@code value}: the same as {@code new Deferred<>()} then {@code callback(value)}. */
    public static <T> Deferred<T> succeed(T value) {
        Deferred<T> d = new Deferred<>();
        d.callback(value);
        return d;
    }

    /** A Deferred that has already failed with {@code error}. */
    public static <T> Deferred<T> fail(Throwable error) {
        return fail(new Failure(error));
    }

    /** A Deferred that has already failed with {@code failure}. */
    public static <T> Deferred<T> fail(Failure failure) {
        Deferred<T> d = new Deferred<>();
        d.errback(failure);
        return d;
    }

    /**
     * Calls {@code work} now and returns a fired Deferred: its value, or its exception as a
     * Failure (Twisted's {@code execute}). A returned {@link Failure} also makes a failed
     * Deferred.
     */
    public static <T> Deferred<T> execute(ThrowingSupplier<? extends T> work) {
        Object value;
        try {
            value = work.get();
        } catch (Throwable e) {
            return fail(e);
        }
        if (value instanceof Deferred) {
            return fail(new IllegalStateException(
                    "execute: the work returned a Deferred; use maybeDeferred for work that returns one"));
        }
        Deferred<T> d = new Deferred<>();
        d.fire(value);
        return d;
    }

    /**
     * Calls {@code work}, which returns a Deferred, and returns that same Deferred; if {@code
     * work} throws, returns a Deferred failed with the exception instead (Twisted's {@code
     * maybeDeferred}, for work that may fail before it gets going).
     */
    @SuppressWarnings("unchecked")
    public static <T> Deferred<T> maybeDeferred(ThrowingSupplier<? extends Deferred<? extends T>> work) {
        Deferred<T> d;
        try {
            d = (Deferred<T>) work.get();
        } catch (Throwable e) {
            return fail(e);
        }
        if (d == null) {
            return fail(new NullPointerException("maybeDeferred: the work returned null instead of a Deferred"));
        }
        return d;
    }

    /**
     * Twisted's {@code maybeDeferred} for a step whose result is a Deferred or a plain value,
     * decided only when it runs (a cache that answers at once, else a download): calls {@code
     * work}; a Deferred it returns is returned as is, its result taken to be a {@code type}; a
     * plain {@code type} value (or {@code null}) gives a Deferred fired with it; a {@link Failure}
     * gives a Deferred failed with it; an exception it throws, or a value that is none of these,
     * gives a failed Deferred ({@link ClassCastException} for the latter). For work that always
     * returns a Deferred, {@link #maybeDeferred(ThrowingSupplier)}; for work that never does,
     * {@link #execute}. The {@code type} argument keeps this apart from those two for the compiler
     * (a lambda matches only one of them) and checks the plain value.
     */
    @SuppressWarnings("unchecked")
    public static <T> Deferred<T> maybeDeferred(Class<T> type, ThrowingSupplier<?> work) {
        Objects.requireNonNull(type, "type");
        Object value;
        try {
            value = work.get();
        } catch (Throwable e) {
            return fail(e);
        }
        if (value instanceof Deferred) {
            return (Deferred<T>) value;
        }
        if (value instanceof Failure failure) {
            return fail(failure);
        }
        if (value != null && !type.isInstance(value)) {
            return fail(new ClassCastException("maybeDeferred: the work returned a " + value.getClass().getName()
                    + ", neither a Deferred nor a " + type.getName()));
        }
        return succeed((T) value);
    }

    /**
     * A Deferred that fires when {@code stage} completes, on the thread that completes it. Use this
     * only when that is the thread the Deferred belongs to; otherwise use {@link
     * #fromCompletionStage(CompletionStage, Executor)}. A stage that completes exceptionally gives
     * a Failure with the cause ({@link CompletionException} unwrapped; a cancelled stage gives
     * {@link CancelledException}). Cancelling the Deferred cancels the stage where it can be.
     */
    public static <T> Deferred<T> fromCompletionStage(CompletionStage<? extends T> stage) {
        return fromCompletionStage(stage, Runnable::run);
    }

    /**
     * A Deferred that fires, through {@code executor}, when {@code stage} completes; for a reactor,
     * pass {@code reactor::callFromThread} so that the Deferred fires on the reactor thread.
     *
     * @see #fromCompletionStage(CompletionStage)
     */
    public static <T> Deferred<T> fromCompletionStage(CompletionStage<? extends T> stage, Executor executor) {
        Objects.requireNonNull(executor, "executor");
        Deferred<T> d = new Deferred<>(self -> {
            try {
                stage.toCompletableFuture().cancel(false);
            } catch (UnsupportedOperationException e) {
                // A stage that cannot be cancelled: the Deferred is still cancelled below.
            }
        });
        stage.whenComplete((value, error) -> executor.execute(() -> {
            if (d.called) {
                return; // cancelled first
            }
            if (error == null) {
                d.fire(value);
            } else {
                d.errback(unwrapStageError(error));
            }
        }));
        return d;
    }

    private static Throwable unwrapStageError(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof CancellationException) {
            CancelledException cancelled = new CancelledException(e.getMessage());
            cancelled.initCause(e);
            return cancelled;
        }
        return e;
    }

    // ----------------------------------------------------------------------------------------
    // Adding steps

    /**
     * Adds a step that transforms a value; failures pass it by.
     *
     * @return this Deferred, retyped to the callback's result
     */
    public <R> Deferred<R> addCallback(Callback<? super T, ? extends R> callback) {
        Objects.requireNonNull(callback, "callback");
        if (isIdleWithResult()) {
            if (result instanceof Failure) {
                return retype(); // a callback-only step passes a Failure by
            }
            if (runNow(callback)) {
                return retype();
            }
        }
        return addStep(new Step(callback, null, false));
    }

    /**
     * Adds a step that handles a Failure: its return value resumes the callback side; throwing
     * (for example through {@link Failure#trap}) keeps the chain on the errback side. Values pass
     * it by.
     */
    public Deferred<T> addErrback(Errback<? extends T> errback) {
        Objects.requireNonNull(errback, "errback");
        if (isIdleWithResult() && !(result instanceof Failure)) {
            return this; // an errback-only step passes a value by
        }
        return addStep(new Step(null, errback, false));
    }

    /**
     * Adds one step with both halves: exactly one of them runs, chosen by the current result, so
     * the errback does not see an error raised by this callback.
     */
    public <R> Deferred<R> addCallbacks(Callback<? super T, ? extends R> callback, Errback<? extends R> errback) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(errback, "errback");
        return addStep(new Step(callback, errback, false));
    }

    /** Adds a step that runs whatever the result (Twisted's {@code addBoth}); see {@link BothCallback}. */
    public <R> Deferred<R> addBoth(BothCallback<? super T, ? extends R> both) {
        Objects.requireNonNull(both, "both");
        return addStep(Step.both(both, false));
    }

    /**
     * Adds a callback that uses the value and returns nothing; the chain then carries {@code null}
     * (what {@code addCallback(v -> { use(v); return null; })} would do). Failures pass it by.
     *
     * @return this Deferred, retyped to {@code Void}
     */
    public Deferred<Void> addVoidCallback(VoidCallback<? super T> callback) {
        Objects.requireNonNull(callback, "callback");
        return addCallback(value -> {
            callback.accept(value);
            return null;
        });
    }

    /**
     * Adds an errback that handles a Failure and returns nothing: returning resumes the callback
     * side with {@code null}; throwing keeps the chain on the errback side. Values pass it by.
     */
    public Deferred<T> addVoidErrback(VoidErrback errback) {
        Objects.requireNonNull(errback, "errback");
        return addErrback(failure -> {
            errback.accept(failure);
            return null;
        });
    }

    /**
     * Adds one step with two halves that return nothing; exactly one runs, and the chain then
     * carries {@code null} (or the Failure either half throws).
     */
    public Deferred<Void> addVoidCallbacks(VoidCallback<? super T> callback, VoidErrback errback) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(errback, "errback");
        return addCallbacks(value -> {
            callback.accept(value);
            return null;
        }, failure -> {
            errback.accept(failure);
            return null;
        });
    }

    /**
     * Adds a step that runs whatever the result and returns nothing; the chain then carries
     * {@code null}, so a Failure it receives counts as handled. To observe a result and pass it
     * on unchanged, use {@link #addBoth} and return the value or the Failure.
     */
    public Deferred<Void> addVoidBoth(VoidBothCallback<? super T> both) {
        Objects.requireNonNull(both, "both");
        return addBoth((value, failure) -> {
            both.accept(value, failure);
            return null;
        });
    }

    /**
     * Adds a step that returns another Deferred; this chain waits for it and continues with its
     * result. Failures pass this step by.
     */
    public <R> Deferred<R> addDeferredCallback(Callback<? super T, ? extends Deferred<? extends R>> callback) {
        Objects.requireNonNull(callback, "callback");
        return addStep(new Step(callback, null, true));
    }

    /** Adds an errback that recovers by returning another Deferred, which this chain waits for. */
    public Deferred<T> addDeferredErrback(Errback<? extends Deferred<? extends T>> errback) {
        Objects.requireNonNull(errback, "errback");
        return addStep(new Step(null, errback, true));
    }

    /** Adds a step that runs whatever the result and returns another Deferred to wait for. */
    public <R> Deferred<R> addDeferredBoth(BothCallback<? super T, ? extends Deferred<? extends R>> both) {
        Objects.requireNonNull(both, "both");
        return addStep(Step.both(both, true));
    }

    /**
     * Fires {@code other} with this chain's result when it gets here (value or Failure), and
     * leaves this chain holding {@code null}.
     */
    public Deferred<Void> chainDeferred(Deferred<? super T> other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("a Deferred cannot be chained to itself");
        }
        @SuppressWarnings("unchecked")
        Deferred<Object> target = (Deferred<Object>) other;
        return addVoidCallbacks(target::callback, target::errback);
    }

    // ----------------------------------------------------------------------------------------
    // Firing

    /**
     * Fires the Deferred with {@code value}: the chain runs now, in this thread. As in Twisted, a
     * {@link Failure} given here sends the chain down the errback side: a Deferred cannot carry a
     * Failure as a value (carry its {@link Failure#value()} instead).
     *
     * @throws AlreadyCalledException if it has already fired (the chain is untouched)
     * @throws IllegalArgumentException if {@code value} is a Deferred: chain it with {@link
     *     #addDeferredCallback} or {@link #chainDeferred} instead
     */
    public void callback(T value) {
        if (value instanceof Deferred) {
            throw new IllegalArgumentException("a Deferred's result cannot be another Deferred; use chainDeferred");
        }
        fire(value);
    }

    /**
     * Fails the Deferred with {@code error} (wrapped in a {@link Failure}).
     *
     * @throws AlreadyCalledException if it has already fired
     */
    public void errback(Throwable error) {
        fire(new Failure(error));
    }

    /**
     * Fails the Deferred with {@code failure}.
     *
     * @throws AlreadyCalledException if it has already fired
     */
    public void errback(Failure failure) {
        fire(Objects.requireNonNull(failure, "failure"));
    }

    private void fire(Object value) {
        if (called) {
            if (suppressAlreadyCalled) {
                // The result that arrives after an uncancellable cancel() is dropped once (DEF-16).
                suppressAlreadyCalled = false;
                return;
            }
            throw new AlreadyCalledException(this + " has already been fired");
        }
        called = true;
        result = value;
        runCallbacks();
    }

    /** Whether this Deferred has been fired (it may still be paused or waiting on another). */
    public boolean isCalled() {
        return called;
    }

    /**
     * Whether the chain is held: by {@link #pause()}, or because it waits for a Deferred that a
     * step returned.
     */
    public boolean isPaused() {
        return pauseCount > 0 || waitingOn != null;
    }

    // ----------------------------------------------------------------------------------------
    // Pausing and cancelling

    /** Stops the chain from running until a matching {@link #unpause()}. Pauses nest. */
    public void pause() {
        pauseCount++;
    }

    /**
     * Undoes one {@link #pause()}; when the last is undone and the Deferred has fired, the chain
     * carries on now.
     *
     * @throws IllegalStateException if there is no pause to undo (Twisted lets the count go
     *     negative and the chain stall for good)
     */
    public void unpause() {
        if (pauseCount == 0) {
            throw new IllegalStateException("unpause() without a matching pause() on " + this);
        }
        pauseCount--;
        if (pauseCount == 0 && called) {
            runCallbacks();
        }
    }

    /**
     * Cancels the work this Deferred stands for. If it has not fired: the canceller (if any) runs,
     * and unless it fired the Deferred, the Deferred fails with {@link CancelledException}; with no
     * canceller, the one result that the abandoned work may still deliver later is silently
     * dropped. If it has fired and waits on an inner Deferred, the inner one is cancelled. Otherwise
     * nothing happens. Calling it again is harmless.
     */
    public void cancel() {
        if (!called) {
            Consumer<? super Deferred<T>> c = canceller;
            if (c != null) {
                try {
                    c.accept(this);
                } catch (Throwable e) {
                    if (!called) {
                        errback(e);
                    }
                    return;
                }
            } else {
                suppressAlreadyCalled = true;
            }
            if (!called) {
                errback(new CancelledException());
            }
        } else if (waitingOn != null) {
            waitingOn.cancel();
        }
    }

    /**
     * Cancels this Deferred if it has not fired within {@code timeout} on {@code clock}; a
     * resulting {@link CancelledException} becomes {@link DeferredTimeoutException}. If the
     * canceller gives a result of its own, that result stands. Firing in time cancels the timer.
     */
    public Deferred<T> addTimeout(Duration timeout, ReactorTime clock) {
        return addTimeout(timeout, clock, (value, failure) -> {
            if (failure != null && failure.check(CancelledException.class) != null) {
                DeferredTimeoutException timedOut = new DeferredTimeoutException(timeout, "Deferred");
                timedOut.initCause(failure.value());
                throw timedOut;
            }
            if (failure != null) {
                throw failure.raiseException();
            }
            return value;
        });
    }

    /**
     * Like {@link #addTimeout(Duration, ReactorTime)}, but when the timeout cancelled the Deferred,
     * {@code onTimeoutCancel} decides the result: it receives whatever the cancellation produced.
     */
    public Deferred<T> addTimeout(Duration timeout, ReactorTime clock, BothCallback<? super T, ? extends T> onTimeoutCancel) {
        Objects.requireNonNull(onTimeoutCancel, "onTimeoutCancel");
        boolean[] timedOut = {false};
        DelayedCall timer = clock.callLater(timeout, () -> {
            timedOut[0] = true;
            cancel();
        });
        return this.<T>addBoth((value, failure) -> {
            if (timer.isActive()) {
                timer.cancel();
            }
            if (timedOut[0]) {
                return onTimeoutCancel.apply(value, failure);
            }
            if (failure != null) {
                throw failure.raiseException();
            }
            return value;
        });
    }

    // ----------------------------------------------------------------------------------------
    // Interop

    /**
     * A {@link CompletableFuture} completed with this chain's result when it gets here. The result
     * is handed over: this chain is left holding {@code null}, so a Failure handed over is not
     * reported as unhandled. Cancelling the future does not cancel this Deferred (the future may
     * be cancelled from any thread; cancel the Deferred on its own thread).
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> future = new CompletableFuture<>();
        addBoth((value, failure) -> {
            if (failure == null) {
                future.complete(value);
            } else {
                future.completeExceptionally(failure.value());
            }
            return null;
        });
        return future;
    }

    @Override
    public String toString() {
        String id = "Deferred@" + Integer.toHexString(System.identityHashCode(this));
        if (waitingOn != null) {
            return "<" + id + " waiting on Deferred@" + Integer.toHexString(System.identityHashCode(waitingOn)) + ">";
        }
        if (called && result != NO_RESULT) {
            return "<" + id + " current result: " + result + ">";
        }
        return "<" + id + ">";
    }

    // ----------------------------------------------------------------------------------------
    // Running the chain

    @SuppressWarnings("unchecked")
    private <R> Deferred<R> retype() {
        return (Deferred<R>) this;
    }

    /** Fired, with nothing queued, running, paused or awaited: a new step would run at once. */
    private boolean isIdleWithResult() {
        return called && head == tail && !runningCallbacks && pauseCount == 0 && waitingOn == null && !scheduled;
    }

    /**
     * The fast path of {@link #addCallback} on an idle fired Deferred holding a value: applies the
     * callback without queueing a step. Returns false (nothing done) when the thread is already
     * nested too deep, so that the caller queues the step and the trampoline runs it.
     */
    @SuppressWarnings("unchecked")
    private boolean runNow(Callback<?, ?> callback) {
        Trampoline trampoline = TRAMPOLINE.get();
        if (trampoline.depth >= MAX_SYNCHRONOUS_DEPTH) {
            return false;
        }
        trampoline.depth++;
        try {
            Object out;
            runningCallbacks = true;
            try {
                out = ((Callback<Object, Object>) callback).apply(result);
            } catch (Throwable e) {
                out = new Failure(e);
            } finally {
                runningCallbacks = false;
            }
            if (out instanceof Deferred) {
                out = plainStepReturnedDeferred();
            }
            result = out;
            runChain(this); // steps the callback added to this Deferred, and the unhandled-failure record
            if (trampoline.depth == 1) {
                drain(trampoline);
            }
        } finally {
            trampoline.depth--;
        }
        return true;
    }

    private static Failure plainStepReturnedDeferred() {
        return new Failure(new IllegalStateException(
                "a callback added with addCallback/addErrback/addBoth returned a Deferred; "
                        + "add it with addDeferredCallback/addDeferredErrback/addDeferredBoth to wait for it"));
    }

    @SuppressWarnings("unchecked")
    private <R> Deferred<R> addStep(Step step) {
        if (tail == steps.length) {
            growSteps();
        }
        steps[tail++] = step;
        if (called) {
            runCallbacks();
        }
        return (Deferred<R>) this;
    }

    private void growSteps() {
        int live = tail - head;
        if (head > 0 && live < steps.length / 2) {
            System.arraycopy(steps, head, steps, 0, live);
            java.util.Arrays.fill(steps, live, tail, null);
        } else {
            Step[] bigger = new Step[Math.max(4, steps.length * 2)];
            System.arraycopy(steps, head, bigger, 0, live);
            steps = bigger;
        }
        head = 0;
        tail = live;
    }

    private Step pollStep() {
        Step step = steps[head];
        steps[head++] = null;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return step;
    }

    private boolean hasSteps() {
        return head != tail;
    }

    /** Whether a step returning this Deferred must wait for it rather than take its result now. */
    private boolean mustBeWaitedFor() {
        return !called || pauseCount > 0 || waitingOn != null || runningCallbacks || hasSteps();
    }

    private void runCallbacks() {
        if (runningCallbacks) {
            return; // the loop already running this chain will reach the new step
        }
        Trampoline trampoline = TRAMPOLINE.get();
        if (trampoline.depth >= MAX_SYNCHRONOUS_DEPTH) {
            if (!scheduled) {
                scheduled = true;
                trampoline.pending.add(this);
            }
            return;
        }
        trampoline.depth++;
        try {
            runChain(this);
            if (trampoline.depth == 1) {
                drain(trampoline);
            }
        } finally {
            trampoline.depth--;
        }
    }

    /** At the outermost level: runs the chains queued because the thread was nested too deep. */
    private static void drain(Trampoline trampoline) {
        Deferred<?> next;
        while ((next = trampoline.pending.poll()) != null) {
            next.scheduled = false;
            runChain(next);
        }
    }

    /**
     * Runs {@code start}'s chain, and the chains it hands its result to, iteratively: a Deferred
     * that reaches the continuation of an outer one it was returned to pushes the outer one and
     * resumes after it.
     */
    private static void runChain(Deferred<?> start) {
        ArrayList<Deferred<?>> suspended = null;
        Deferred<?> current = start;
        while (current != null) {
            boolean finished = true;
            if (current.pauseCount == 0 && current.waitingOn == null) {
                while (current.hasSteps()) {
                    Step step = current.pollStep();
                    if (step.continues != null) {
                        Deferred<?> outer = step.continues;
                        outer.result = current.result;
                        outer.waitingOn = null;
                        current.result = null;
                        current.clearUnhandled();
                        if (suspended == null) {
                            suspended = new ArrayList<>();
                        }
                        suspended.add(current);
                        current = outer;
                        finished = false;
                        break;
                    }
                    Object next = current.runStep(step);
                    if (next instanceof Deferred<?> inner) {
                        // Only a chaining step gets here: runStep turns a plain step's Deferred into a Failure.
                        if (inner.mustBeWaitedFor()) {
                            current.result = null;
                            current.waitingOn = inner;
                            inner.appendContinuation(current);
                            break;
                        }
                        next = inner.result;
                        inner.result = null;
                        inner.clearUnhandled();
                    }
                    current.result = next;
                }
            }
            if (finished) {
                if (current.pauseCount == 0 && current.waitingOn == null) {
                    current.settleUnhandled();
                }
                current = suspended == null || suspended.isEmpty() ? null : suspended.remove(suspended.size() - 1);
            }
        }
    }

    /** Runs one step on the current result and returns the next result (a Failure if it threw). */
    @SuppressWarnings("unchecked")
    private Object runStep(Step step) {
        Object in = result;
        boolean failed = in instanceof Failure;
        Object handler = failed ? step.errback : step.callback;
        if (handler == null) {
            return in;
        }
        Object out;
        runningCallbacks = true;
        try {
            out = failed
                    ? ((Errback<Object>) handler).apply((Failure) in)
                    : ((Callback<Object, Object>) handler).apply(in);
        } catch (Throwable e) {
            return new Failure(e);
        } finally {
            runningCallbacks = false;
        }
        if (out instanceof Failure) {
            return out;
        }
        if (step.chains) {
            if (out == null) {
                return new Failure(new NullPointerException(
                        "a step added with addDeferred… returned null instead of a Deferred"));
            }
            if (out == this) {
                // DEF-12: Twisted warns and the chain waits for itself forever; we fail it instead.
                return new Failure(new IllegalStateException(
                        "a callback returned the Deferred it was attached to, which would wait for itself forever"));
            }
            return out;
        }
        if (out instanceof Deferred) {
            return plainStepReturnedDeferred();
        }
        return out;
    }

    private void appendContinuation(Deferred<?> outer) {
        if (tail == steps.length) {
            growSteps();
        }
        steps[tail++] = new Step(outer);
    }

    private void settleUnhandled() {
        if (result instanceof Failure failure) {
            if (unhandled == null) {
                unhandled = UnhandledFailures.track(this, failure);
            } else {
                unhandled.update(failure);
            }
        } else {
            clearUnhandled();
        }
    }

    private void clearUnhandled() {
        if (unhandled != null) {
            unhandled.handled();
            unhandled = null;
        }
    }

    /** One slot of the chain: a (callback, errback) pair, or the continuation of an outer Deferred. */
    private static final class Step {
        final Object callback;
        final Object errback;
        final boolean chains;
        final Deferred<?> continues;

        Step(Object callback, Object errback, boolean chains) {
            this.callback = callback;
            this.errback = errback;
            this.chains = chains;
            this.continues = null;
        }

        Step(Deferred<?> continues) {
            this.callback = null;
            this.errback = null;
            this.chains = false;
            this.continues = continues;
        }

        static <T> Step both(BothCallback<? super T, ?> both, boolean chains) {
            Callback<T, Object> onValue = value -> both.apply(value, null);
            Errback<Object> onFailure = failure -> both.apply(null, failure);
            return new Step(onValue, onFailure, chains);
        }
    }

    /** Per-thread nesting depth of running chains, and the chains queued past the limit. */
    private static final class Trampoline {
        int depth;
        final ArrayDeque<Deferred<?>> pending = new ArrayDeque<>();
    }
}
