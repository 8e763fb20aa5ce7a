package dev.twine.conformance.broken;

import dev.twine.defer.Failure;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReadDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Faults of the core, time, thread and descriptor layers that the sharpened rules catch: each a
 * mistake a reactor author could make, at the API boundary around the nio reactor.
 */
final class CoreFaults {
    private CoreFaults() {
    }

    /** iterate(maxWait) that waits its whole maxWait for I/O, though a delayed call is due sooner. */
    @CaughtBy(value = "CORE-14", reason = "iterate\\(\\) did not return: with a delayed call due in 20 ms")
    public static final class IterateIgnoresPendingTimers extends BrokenProvider {
        public IterateIgnoresPendingTimers() {
            super("broken-iterate-ignores-pending-timers", () -> new ForwardingReactor() {
                @Override
                public void iterate(Duration maxWait) {
                    delegate.iterate(Duration.ZERO);
                    // The fault as it happens in a real loop: a select for the whole maxWait that
                    // does not look at the timer heap (it wakes only for I/O, and there is none).
                    long millis = Math.min(maxWait.toMillis(), Duration.ofDays(1).toMillis());
                    try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
                        if (millis > 0) {
                            selector.select(millis);
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        }
    }

    /** Cancelled calls stay referenced until their due time passes (lazy deletion from the heap). */
    @CaughtBy(value = "TIME-16", reason = "it keeps cancelled calls in its heap")
    public static final class CancelledCallsKept extends BrokenProvider {
        public CancelledCallsKept() {
            super("broken-cancelled-calls-kept", () -> new ForwardingReactor() {
                private final List<DelayedCall> heap = new ArrayList<>();

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    double now = delegate.seconds();
                    heap.removeIf(call -> call.getTime() <= now);
                    DelayedCall call = delegate.callLater(delay, callable);
                    heap.add(call);
                    return call;
                }
            });
        }
    }

    /** Errors from delayed calls and calls from threads go to a log of the reactor's own, not the thread's ErrorLog. */
    @CaughtBy(value = "CORE-19", reason = "never reached ErrorLog.current\\(\\) of the reactor thread")
    public static final class LogsErrorsElsewhere extends BrokenProvider {
        public LogsErrorsElsewhere() {
            super("broken-logs-errors-elsewhere", () -> new ForwardingReactor() {
                private final List<Failure> ownLog = new ArrayList<>();

                private Runnable logged(Runnable callable) {
                    return () -> {
                        try {
                            callable.run();
                        } catch (RuntimeException e) {
                            synchronized (ownLog) {
                                ownLog.add(new Failure(e));
                            }
                        }
                    };
                }

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return delegate.callLater(delay, logged(callable));
                }

                @Override
                public void callFromThread(Runnable callable) {
                    delegate.callFromThread(logged(callable));
                }
            });
        }
    }

    /**
     * callFromThread made on the reactor thread does not wake the loop: such calls wait in a queue
     * of their own until a delayed call runs (a reactor that thinks "I am awake already").
     */
    @CaughtBy(value = "THR-05", reason = "callFromThread on the reactor thread did not wake the loop")
    public static final class LoopCallFromThreadDoesNotWake extends BrokenProvider {
        public LoopCallFromThreadDoesNotWake() {
            super("broken-loop-call-from-thread-does-not-wake", () -> new ForwardingReactor() {
                private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

                private void drain() {
                    for (int n = waiting.size(); n > 0; n--) {
                        Runnable call = waiting.poll();
                        try {
                            call.run();
                        } catch (RuntimeException e) {
                            dev.twine.defer.ErrorLog.current().err(new Failure(e), "Unhandled error in a callFromThread call:");
                        }
                    }
                }

                @Override
                public void callFromThread(Runnable callable) {
                    if (delegate.isInIOThread() && delegate.isRunning()) {
                        waiting.add(callable);
                    } else {
                        delegate.callFromThread(callable);
                    }
                }

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return delegate.callLater(delay, () -> {
                        drain();
                        callable.run();
                    });
                }
            });
        }
    }

    /** The reactor's own waker is a descriptor like any other: getReaders and removeAll hand it out. */
    @CaughtBy(value = "DESC-05", reason = "a descriptor too many is the reactor's own waker")
    public static final class WakerReturnedByRemoveAll extends BrokenProvider {
        public WakerReturnedByRemoveAll() {
            super("broken-waker-returned-by-remove-all", () -> new ForwardingReactor() {
                {
                    Pipe pipe;
                    try {
                        pipe = Pipe.open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Pipe waker = pipe;
                    delegate.addReader(new ReadDescriptor() {
                        @Override
                        public Throwable doRead() throws IOException {
                            waker.source().read(java.nio.ByteBuffer.allocate(64));
                            return null;
                        }

                        @Override
                        public SelectableChannel channel() {
                            return waker.source();
                        }

                        @Override
                        public void connectionLost(Failure reason) {
                            try {
                                waker.source().close();
                                waker.sink().close();
                            } catch (IOException ignored) {
                                // closing anyway
                            }
                        }
                    });
                }
            });
        }
    }

    /** listenTCP binds every interface whatever it is asked, and getHost() names the interface asked for. */
    @CaughtBy(value = "TCP-08", reason = "bound to every interface, not to 127.0.0.1")
    public static final class BindsEveryInterface extends BrokenProvider {
        public BindsEveryInterface() {
            super("broken-binds-every-interface", () -> new ForwardingReactor() {
                @Override
                public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
                    ListeningPort real = delegate.listenTCP(port, factory, backlog, "0.0.0.0");
                    return new ListeningPort() {
                        @Override
                        public dev.twine.defer.Deferred<Void> stopListening() {
                            return real.stopListening();
                        }

                        @Override
                        public Address getHost() {
                            IPv4Address host = (IPv4Address) real.getHost();
                            return new IPv4Address(host.type(), iface, host.port());
                        }
                    };
                }
            });
        }
    }
}
