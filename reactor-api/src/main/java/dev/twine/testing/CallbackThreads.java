package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Which thread each callback ran on, for any kind of callback a reactor makes: protocols,
 * factories, delayed calls, descriptors, producers. The recording helpers of this package keep one
 * each ({@link Recorder#callbacks}, {@link RecordingClientFactory#callbacks}, {@link
 * RecordingServerFactory#callbacks}); a test's own callbacks call {@link #record}. After the run,
 * {@link #assertOnReactorThread} fails naming every callback that ran on another thread.
 *
 * <p>Thread-safe: a broken reactor may call from anywhere. Bounded: it keeps each distinct pair of
 * callback name and thread once (and counts every call), so a callback made a million times costs
 * one entry; more than {@link #MAX_DISTINCT} distinct pairs make {@link #record} throw an {@link
 * IllegalStateException} that says so.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CallbackThreads {
    /** How many distinct (callback, thread) pairs are kept before {@link #record} fails. */
    public static final int MAX_DISTINCT = 10_000;

    private record Call(String callback, Thread thread) {
    }

    private final Set<Call> calls = new LinkedHashSet<>();
    private int count;

    /** Notes that {@code callback} is running now, on the current thread. */
    public synchronized void record(String callback) {
        Call call = new Call(callback, Thread.currentThread());
        if (!calls.contains(call) && calls.size() >= MAX_DISTINCT) {
            throw new IllegalStateException("CallbackThreads keeps at most " + MAX_DISTINCT
                    + " distinct callback names and threads; record a fixed name, not one per call");
        }
        calls.add(call);
        count++;
    }

    /** How many callbacks were recorded, counting every call. */
    public synchronized int count() {
        return count;
    }

    /**
     * The callbacks that ran on a thread other than {@code reactorThread}, as {@code "name on
     * thread"}, once each, in the order they were first recorded.
     */
    public synchronized List<String> elsewhere(Thread reactorThread) {
        Set<String> off = new LinkedHashSet<>();
        for (Call call : calls) {
            if (call.thread() != reactorThread) {
                off.add(call.callback() + " on " + call.thread().getName());
            }
        }
        return List.copyOf(off);
    }

    /**
     * Fails with an {@link AssertionError} unless every callback recorded in {@code checks} ran on
     * {@code reactorThread} (the thread that ran the reactor; {@code null} if none did, and then
     * every callback is off it); the message names each callback that ran elsewhere, and on which
     * thread. Also fails if nothing was recorded at all: a test that checks no thread checks
     * nothing. Call it after the run, from any thread.
     */
    public static void assertOnReactorThread(Thread reactorThread, CallbackThreads... checks) {
        List<String> off = new ArrayList<>();
        int total = 0;
        for (CallbackThreads check : checks) {
            off.addAll(check.elsewhere(reactorThread));
            total += check.count();
        }
        if (total == 0) {
            throw new AssertionError("no callback was recorded: nothing was checked");
        }
        if (!off.isEmpty()) {
            throw new AssertionError("callbacks ran off the reactor thread ("
                    + (reactorThread == null ? "none" : reactorThread.getName()) + "): " + String.join(", ", off));
        }
    }
}
