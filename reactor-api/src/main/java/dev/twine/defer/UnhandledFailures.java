package dev.twine.defer;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reports Failures left in Deferreds that became garbage (DEF-27), and at JVM exit those still
 * held by live Deferreds, as Twisted reports what is left when the interpreter exits. A Deferred
 * gets a {@link Tracker} only while its chain has ended on a Failure, so Deferreds that succeed,
 * or whose failures are handled, cost nothing here. One daemon thread takes dead trackers off the
 * reference queue and reports them; a shutdown hook reports the rest, each once.
 */
final class UnhandledFailures {
    /**
     * System property: {@code false} turns the report at exit off (a program that leaves failures
     * unhandled on purpose); anything else, or nothing, leaves it on.
     */
    static final String REPORT_AT_EXIT = "twine.defer.reportUnhandledAtExit";

    private static final ReferenceQueue<Object> DEAD = new ReferenceQueue<>();
    /** Trackers must stay strongly reachable until the collector queues them. */
    private static final Set<Reference<?>> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean reporterStarted;

    private UnhandledFailures() {
    }

    /** Starts tracking {@code failure} as the unhandled result of {@code deferred}. */
    static Tracker track(Deferred<?> deferred, Failure failure) {
        startReporter();
        Tracker tracker = new Tracker(deferred, failure, ErrorLog.current());
        LIVE.add(tracker);
        return tracker;
    }

    /** The unhandled Failures tracked for {@code log}; stops tracking them. */
    static List<Failure> take(ErrorLog log) {
        List<Failure> taken = new ArrayList<>();
        for (Reference<?> ref : LIVE) {
            if (ref instanceof Tracker tracker && tracker.log == log) {
                Failure failure = tracker.take();
                if (failure != null) {
                    taken.add(failure);
                    tracker.handled();
                }
            }
        }
        return taken;
    }

    /**
     * Asks for a collection and waits until the reporter has handled what it queued. Two rounds,
     * because the JVM queues one collection's references one by one and the first probe may
     * overtake some of them.
     */
    static void collectAndReport() {
        startReporter();
        for (int round = 0; round < 2; round++) {
            Probe probe = new Probe();
            LIVE.add(probe);
            System.gc();
            try {
                probe.reported.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                LIVE.remove(probe);
            }
        }
    }

    private static void startReporter() {
        if (reporterStarted) {
            return;
        }
        synchronized (UnhandledFailures.class) {
            if (reporterStarted) {
                return;
            }
            Thread reporter = new Thread(UnhandledFailures::reportForever, "twine-unhandled-failure-reporter");
            reporter.setDaemon(true);
            reporter.start();
            if (!"false".equalsIgnoreCase(System.getProperty(REPORT_AT_EXIT, "true").trim())) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(UnhandledFailures::reportAtExit,
                            "twine-unhandled-failures-at-exit"));
                } catch (IllegalStateException exiting) {
                    // the JVM is already shutting down: the hook could not run anyway
                }
            }
            reporterStarted = true;
        }
    }

    /** At exit: every Failure a live Deferred still holds unhandled, in no particular order. */
    private static void reportAtExit() {
        for (Reference<?> ref : LIVE) {
            if (ref instanceof Tracker tracker) {
                tracker.report();
            }
        }
    }

    private static void reportForever() {
        List<Probe> probes = new ArrayList<>();
        while (true) {
            Reference<?> ref;
            try {
                ref = DEAD.remove();
            } catch (InterruptedException e) {
                return;
            }
            // Drain everything queued so far before telling any probe that its round is done.
            do {
                LIVE.remove(ref);
                if (ref instanceof Tracker tracker) {
                    tracker.report();
                } else if (ref instanceof Probe probe) {
                    probes.add(probe);
                }
            } while ((ref = DEAD.poll()) != null);
            probes.forEach(probe -> probe.reported.countDown());
            probes.clear();
        }
    }

    /** A reference to an object that is garbage at once, to learn when a collection was reported. */
    private static final class Probe extends PhantomReference<Object> {
        final CountDownLatch reported = new CountDownLatch(1);

        Probe() {
            super(new Object(), DEAD);
        }
    }

    /** The unhandled Failure of one Deferred, reported if the Deferred dies while it is set. */
    static final class Tracker extends PhantomReference<Object> {
        private final ErrorLog log;
        private Failure failure; // guarded by this: the collector's reporter and the exit hook may race

        private Tracker(Deferred<?> deferred, Failure failure, ErrorLog log) {
            super(deferred, DEAD);
            this.failure = failure;
            this.log = log;
        }

        /** The Deferred's chain ended on another Failure. */
        synchronized void update(Failure newFailure) {
            failure = newFailure;
        }

        /** Someone handled the Failure; nothing will be reported. */
        void handled() {
            synchronized (this) {
                failure = null;
            }
            LIVE.remove(this);
            clear();
        }

        /** The Failure, taken: whoever takes it reports it, so it is reported once. */
        synchronized Failure take() {
            Failure taken = failure;
            failure = null;
            return taken;
        }

        private void report() {
            Failure unhandled = take();
            if (unhandled == null) {
                return;
            }
            try {
                log.err(unhandled, ErrorLog.UNHANDLED_IN_DEFERRED);
            } catch (RuntimeException | Error e) {
                // An error log that throws must not stop the reporting of the others.
                ErrorLogRouting.STANDARD_ERROR.err(new Failure(e), "The error log failed while reporting:");
            }
        }
    }
}
