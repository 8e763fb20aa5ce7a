package dev.twine.trial.engine.execution;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionLost;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.trial.DirtyReactorError;
import dev.twine.trial.LoggedErrorsError;
import dev.twine.trial.engine.config.TrialConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks, after each test, that it left the reactor clean (trial's janitor): no delayed calls
 * pending, no ports or connections open (on reactors with the descriptors capability), no thread it
 * started still running (a thread counts as the test's when it is in its class's thread group, which
 * threads started from the class's reactor thread inherit), no error logged and not flushed, no
 * Failure left unhandled in a Deferred. On JDK 21 and later, when classes run one at a time, also no
 * virtual thread created during the test still alive (see {@link VirtualThreads}: they have no
 * thread group, and are found in a thread dump; reported, not interrupted).
 * It cleans up what it finds, so the next test starts clean, and reports each leftover on the test.
 * One per test, created and used on the class's reactor thread by the {@link PhaseSequence}.
 */
final class Janitor {
    private final Reactor reactor;
    private final TrialConfiguration config;
    private final ThreadGroup threads;
    private final Set<Thread> threadsBefore;
    /**
     * Delayed calls pending before the test began: earlier tests' were cancelled by their janitors,
     * so these are the reactor's own (a third-party reactor's housekeeping timer), never the test's.
     */
    private final Set<DelayedCall> callsBefore;
    private final Set<Descriptor> descriptorsBefore;
    /** Found by {@link #settle()}. */
    private List<Thread> leftoverThreads = List.of();
    /**
     * Whether to look for virtual threads: on JDK 21+, and only when classes run one at a time, as
     * a virtual thread says nothing of which class started it.
     */
    private final boolean watchVirtualThreads;
    /** A thread id mark taken as the test began: virtual threads with larger ids are the test's. */
    private final long virtualMark;
    /** Found by {@link #settle()}. */
    private List<VirtualThreads.Found> leftoverVirtualThreads = List.of();

    /** How long a thread the test started has to end or go back to its pool before it counts as left behind. */
    static final Duration THREAD_GRACE = Duration.ofMillis(200);
    private static final Duration THREAD_POLL = Duration.ofMillis(1);

    Janitor(Reactor reactor, TrialConfiguration config, ThreadGroup threads) {
        this.reactor = reactor;
        this.config = config;
        this.threads = threads;
        this.threadsBefore = Set.of(liveThreads(threads));
        this.descriptorsBefore = descriptors();
        this.callsBefore = Set.copyOf(reactor.getDelayedCalls());
        this.watchVirtualThreads = config.parallel() == 1 && VirtualThreads.supported();
        this.virtualMark = watchVirtualThreads ? VirtualThreads.nextThreadId() : 0;
    }

    /**
     * Lets the loop turn twice, so that closes and writes in progress finish (trial does the same),
     * then gives threads the test started up to {@link #THREAD_GRACE} to end or go idle: a worker
     * that has just handed its result to the reactor is still on its way back to its pool.
     */
    Deferred<Void> settle() {
        Deferred<Void> settled = new Deferred<>();
        reactor.callLater(Duration.ZERO, () -> reactor.callLater(Duration.ZERO,
                () -> awaitThreads(settled, System.nanoTime() + THREAD_GRACE.toNanos())));
        return settled;
    }

    private void awaitThreads(Deferred<Void> settled, long deadline) {
        boolean late = System.nanoTime() - deadline >= 0;
        try {
            leftoverThreads = busyNewThreads();
            if (watchVirtualThreads && (leftoverThreads.isEmpty() || late)) {
                leftoverVirtualThreads = busyNewVirtualThreads();
            }
        } catch (RuntimeException | Error e) {
            settled.errback(new Failure(e));
            return;
        }
        if ((leftoverThreads.isEmpty() && leftoverVirtualThreads.isEmpty()) || late) {
            settled.callback(null);
            return;
        }
        reactor.callLater(THREAD_POLL, () -> awaitThreads(settled, deadline));
    }

    private List<Thread> busyNewThreads() {
        List<Thread> busy = new ArrayList<>();
        for (Thread thread : liveThreads(threads)) {
            if (!threadsBefore.contains(thread) && thread.isAlive() && !ignored(thread)) {
                busy.add(thread);
            }
        }
        return busy;
    }

    /** Virtual threads created since the test began, still alive and not idle in a pool. A thread dump: milliseconds. */
    private List<VirtualThreads.Found> busyNewVirtualThreads() {
        List<VirtualThreads.Found> busy = new ArrayList<>();
        for (VirtualThreads.Found thread : VirtualThreads.createdBetween(virtualMark, VirtualThreads.nextThreadId())) {
            List<String> methods = new ArrayList<>();
            for (String frame : thread.stack()) {
                // "java.base/java.util.concurrent.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1070)"
                String method = frame.substring(frame.indexOf('/') + 1);
                methods.add(method.indexOf('(') >= 0 ? method.substring(0, method.indexOf('(')) : method);
            }
            if (!ignored(thread.name(), methods)) {
                busy.add(thread);
            }
        }
        return busy;
    }

    /** Reports and cleans up what the test left. On the reactor thread, with the test's log bound. */
    void check(TestErrorLog log, Outcome outcome, String testName) {
        // What the test left pending, noted before closing anything: a call that a leftover's
        // connectionLost schedules when the janitor closes it is the janitor's doing, cancelled below
        // with the rest rather than blamed on this test or surviving into the next one.
        List<String> delayedCalls = new ArrayList<>();
        for (DelayedCall call : reactor.getDelayedCalls()) {
            if (!callsBefore.contains(call)) {
                delayedCalls.add(call.toString());
            }
        }

        List<String> descriptors = new ArrayList<>();
        if (reactor instanceof ReactorDescriptors fd) {
            Set<Descriptor> now = descriptors();
            now.removeAll(descriptorsBefore);
            for (Descriptor descriptor : now) {
                descriptors.add(describe(descriptor));
                if (descriptor instanceof dev.twine.reactor.ReadDescriptor reader) {
                    fd.removeReader(reader);
                }
                if (descriptor instanceof dev.twine.reactor.WriteDescriptor writer) {
                    fd.removeWriter(writer);
                }
                try {
                    descriptor.connectionLost(new Failure(new ConnectionLost("closed by trial's janitor after " + testName, null)));
                } catch (Throwable e) {
                    ErrorLog.current().err(new Failure(e), "Closing a leftover after " + testName + " failed:");
                }
            }
        }
        for (DelayedCall call : reactor.getDelayedCalls()) {
            if (!callsBefore.contains(call) && call.isActive()) {
                call.cancel();
            }
        }

        List<String> leftThreads = new ArrayList<>();
        for (Thread thread : leftoverThreads) {
            if (thread.isAlive() && !ignored(thread)) {
                // A daemon is most likely a library's background thread that the test started lazily;
                // interrupting it would break the library for later tests. Others are interrupted.
                if (thread.isDaemon()) {
                    leftThreads.add(describe(thread) + ", a daemon: left running");
                } else {
                    leftThreads.add(describe(thread) + ", interrupted");
                    thread.interrupt();
                }
            }
        }

        for (VirtualThreads.Found thread : leftoverVirtualThreads) {
            // The JDK gives no handle on a virtual thread found in a dump, so it cannot be interrupted.
            leftThreads.add(thread.describe() + ": left running");
        }

        if (!delayedCalls.isEmpty() || !descriptors.isEmpty() || !leftThreads.isEmpty()) {
            DirtyReactorError dirty = new DirtyReactorError(delayedCalls, descriptors, leftThreads);
            if (config.uncleanWarnings()) {
                outcome.warn(dirty.getMessage());
            } else {
                outcome.error(dirty);
            }
        }

        for (Failure unhandled : ErrorLog.takeUnhandled(log)) {
            log.err(unhandled, ErrorLog.UNHANDLED_IN_DEFERRED);
        }
        if (!log.isEmpty()) {
            outcome.error(new LoggedErrorsError(log.whys(), log.failures()));
        }
    }

    private Set<Descriptor> descriptors() {
        Set<Descriptor> all = new LinkedHashSet<>();
        if (reactor instanceof ReactorDescriptors fd) {
            all.addAll(fd.getReaders());
            all.addAll(fd.getWriters());
        }
        return all;
    }

    private static String describe(Descriptor descriptor) {
        String text = descriptor.toString();
        return text.contains("@") && !text.contains(" ") ? descriptor.logPrefix() : text;
    }

    private boolean ignored(Thread thread) {
        if (config.ignoredThreads().matcher(thread.getName()).matches()) {
            return true; // without taking its stack
        }
        List<String> methods = new ArrayList<>();
        for (StackTraceElement frame : thread.getStackTrace()) {
            methods.add(frame.getClassName() + "." + frame.getMethodName());
        }
        return ignored(thread.getName(), methods);
    }

    /** Whether a thread of that name and stack (methods, innermost first) is not the test's concern. */
    private boolean ignored(String name, List<String> methods) {
        if (config.ignoredThreads().matcher(name).matches()) {
            return true;
        }
        for (String method : methods) {
            if (method.equals("java.util.concurrent.ThreadPoolExecutor.getTask")
                    || method.equals("java.util.concurrent.ForkJoinPool.awaitWork")
                    || method.equals("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take")) {
                return true; // an idle worker of a pool: pools keep their threads by design
            }
        }
        return false;
    }

    private static String describe(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        String where = stack.length == 0 ? "" : ", at " + stack[0];
        return "\"" + thread.getName() + "\" (" + thread.getState() + where + ")";
    }

    /** The live threads of {@code group} and its subgroups, cheaply (no stack traces). */
    static Thread[] liveThreads(ThreadGroup group) {
        Thread[] found = new Thread[group.activeCount() + 16];
        int n;
        while ((n = group.enumerate(found, true)) == found.length) {
            found = new Thread[found.length * 2];
        }
        return Arrays.copyOf(found, n);
    }
}
