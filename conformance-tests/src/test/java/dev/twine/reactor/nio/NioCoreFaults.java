package dev.twine.reactor.nio;

import dev.twine.conformance.broken.BrokenProvider;
import dev.twine.conformance.broken.CaughtBy;
import dev.twine.reactor.ReadDescriptor;
import java.lang.reflect.Field;
import java.util.LinkedHashSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Faults injected inside the nio reactor, not at its API: each provider builds a real {@link
 * NioReactor} and swaps one of its internal collections for a variant with one realistic bug, so
 * that the reactor's own loop misbehaves. No hook in the main code: the fields are set by
 * reflection from this test-scope class in the reactor's package.
 */
final class NioCoreFaults {
    private NioCoreFaults() {
    }

    private static void replace(NioReactor reactor, String field, Object value) {
        try {
            Field f = NioReactor.class.getDeclaredField(field);
            f.setAccessible(true);
            f.set(reactor, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot inject a fault into NioReactor." + field, e);
        }
    }

    /**
     * The queue of calls from threads drains until it is empty: a call queued by a call being run
     * runs in the same pass, ahead of timers that are due (the bug THR-21 found in nio).
     */
    @CaughtBy(value = "THR-21", reason = "a call queued from a queued call ran in the same pass")
    public static final class QueueDrainedToTheEnd extends BrokenProvider {
        public QueueDrainedToTheEnd() {
            super("nio-queue-drained-to-the-end", () -> {
                NioReactor reactor = new NioReactor();
                Runnable endOfPass = endOfPass();
                replace(reactor, "fromThreads", new ConcurrentLinkedQueue<Runnable>() {
                    @Override
                    public Runnable poll() {
                        Runnable next = super.poll();
                        if (next == endOfPass && !isEmpty()) {
                            super.add(endOfPass); // the end of the pass moves with what was queued meanwhile
                            return super.poll();
                        }
                        return next;
                    }
                });
                return reactor;
            });
        }

        private static Runnable endOfPass() {
            try {
                Field f = NioReactor.class.getDeclaredField("END_OF_PASS");
                f.setAccessible(true);
                return (Runnable) f.get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * removeReader only marks the reader and takes it out at the start of the next iteration: a
     * reader removed by another in the same pass of ready channels is still called.
     */
    @CaughtBy(value = "DESC-11", reason = "a reader removed by another reader's doRead was still called")
    public static final class ReaderRemovalAtTheNextIteration extends BrokenProvider {
        public ReaderRemovalAtTheNextIteration() {
            super("nio-reader-removal-at-the-next-iteration", () -> {
                NioReactor reactor = new NioReactor();
                boolean[] now = new boolean[1];
                replace(reactor, "readers", new LinkedHashSet<ReadDescriptor>() {
                    @Override
                    public boolean remove(Object reader) {
                        if (now[0] || !contains(reader)) {
                            return super.remove(reader);
                        }
                        reactor.runSoon(() -> {
                            now[0] = true;
                            try {
                                reactor.removeReader((ReadDescriptor) reader);
                            } finally {
                                now[0] = false;
                            }
                        });
                        return false;
                    }
                });
                return reactor;
            });
        }
    }
}
