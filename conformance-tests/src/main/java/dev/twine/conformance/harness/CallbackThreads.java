package dev.twine.conformance.harness;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which thread each callback the reactor made ran on, for any kind of callback: protocols,
 * factories, delayed calls, descriptors, producers. The recording objects of the harness keep one
 * each ({@link Recorder#callbacks}, {@link RecordingClientFactory#callbacks}, {@link
 * RecordingServerFactory#callbacks}); a rule's own callbacks call {@link #record}. After the run,
 * {@link #assertOnReactorThread} fails naming every callback that ran elsewhere. Thread-safe, since a
 * broken reactor may call from anywhere.
 */
public final class CallbackThreads {
    private record Call(String callback, Thread thread) {
    }

    private final List<Call> calls = new ArrayList<>();

    /** Notes that {@code callback} is running now, on the current thread. */
    public synchronized void record(String callback) {
        calls.add(new Call(callback, Thread.currentThread()));
    }

    /** How many callbacks were recorded. */
    public synchronized int count() {
        return calls.size();
    }

    /** The callbacks that ran on a thread other than {@code reactorThread}, as {@code "name on thread"}, once each. */
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
     * Fails unless every callback recorded in {@code checks} ran on the thread that ran the
     * reactor in this rule's last run ({@link Rut#lastRunThread()}); call it on the rule's thread,
     * after the run. Also fails if none was recorded at all (a rule that checks nothing).
     */
    public static void assertOnReactorThread(CallbackThreads... checks) {
        Thread reactorThread = Rut.lastRunThread();
        List<String> off = new ArrayList<>();
        int total = 0;
        for (CallbackThreads check : checks) {
            off.addAll(check.elsewhere(reactorThread));
            total += check.count();
        }
        if (total == 0) {
            throw new AssertionError("no callback was recorded: the rule checked no thread");
        }
        if (!off.isEmpty()) {
            throw new AssertionError("callbacks ran off the reactor thread ("
                    + (reactorThread == null ? "none" : reactorThread.getName()) + "): " + String.join(", ", off));
        }
    }
}
