package dev.twine.conformance.broken;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.Producer;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.PushProducer;
import dev.twine.protocol.Transport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Deliberately broken variants of the built-in reactor, each with one fault a real implementation
 * could have, at the API boundary (a wrapper around the nio reactor). The suite must catch every one:
 * {@code StrengthTest} runs the rules each {@link CaughtBy} names and checks that they fail for the
 * fault's reason. Each has a provider class, so the suite selects it by class name.
 */
final class BrokenReactors {
    private BrokenReactors() {
    }

    // ------------------------------------------------------------------------------------------
    // Time

    /** Timers out of order: the longer the delay, the sooner it fires (up to 50 ms). */
    @CaughtBy(value = "TIME-02", reason = "scheduled or moved [0-9]+ ms from now")
    public static final class TimersOutOfOrder extends BrokenProvider {
        public TimersOutOfOrder() {
            super("broken-timers-out-of-order", () -> new ForwardingReactor() {
                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    long ms = delay.toMillis();
                    Duration skewed = ms > 0 && ms < 50 ? Duration.ofMillis(50 - ms) : delay;
                    return delegate.callLater(skewed, callable);
                }
            });
        }
    }

    /**
     * Equal-time calls reordered: each call is due 0.1 ms earlier than the one scheduled before it
     * (in cycles of 50). A skew of a microsecond was caught only when the machine scheduled calls
     * faster than that, so a loaded CI run once let it pass; 0.1 ms stays larger than the gap
     * between two callLater calls.
     */
    @CaughtBy(value = "TIME-03", reason = "ran out of the order they were scheduled")
    public static final class EqualTimesReordered extends BrokenProvider {
        public EqualTimesReordered() {
            super("broken-equal-times-reordered", () -> new ForwardingReactor() {
                private final AtomicLong scheduled = new AtomicLong();

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    long n = scheduled.incrementAndGet() % 50;
                    return delegate.callLater(delay.plusNanos((50 - n) * 100_000), callable);
                }
            });
        }
    }

    /** Cancelled calls still run: cancel() only marks the call. */
    @CaughtBy(value = "TIME-04", reason = "the cancelled call ran")
    public static final class CancelledCallsStillRun extends BrokenProvider {
        public CancelledCallsStillRun() {
            super("broken-cancelled-calls-still-run", () -> new ForwardingReactor() {
                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    DelayedCall real = delegate.callLater(delay, callable);
                    return new DelayedCall() {
                        boolean cancelled;

                        @Override
                        public double getTime() {
                            return real.getTime();
                        }

                        @Override
                        public void cancel() {
                            cancelled = true; // and the real call still runs
                        }

                        @Override
                        public void delay(Duration secondsLater) {
                            real.delay(secondsLater);
                        }

                        @Override
                        public void reset(Duration secondsFromNow) {
                            real.reset(secondsFromNow);
                        }

                        @Override
                        public boolean isActive() {
                            return !cancelled && real.isActive();
                        }

                        @Override
                        public boolean isCalled() {
                            return real.isCalled();
                        }

                        @Override
                        public boolean isCancelled() {
                            return cancelled;
                        }
                    };
                }
            });
        }
    }

    /** Callbacks off the reactor thread: delayed calls run on a thread of their own. */
    @CaughtBy(value = "TIME-01", reason = "on broken-reactor-elsewhere")
    public static final class CallbacksOffTheReactorThread extends BrokenProvider {
        public CallbacksOffTheReactorThread() {
            super("broken-callbacks-off-thread", () -> new ForwardingReactor() {
                private final ExecutorService elsewhere = Executors.newSingleThreadExecutor(work -> {
                    Thread thread = new Thread(work, "broken-reactor-elsewhere");
                    thread.setDaemon(true);
                    return thread;
                });

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return delegate.callLater(delay, () -> elsewhere.execute(callable));
                }

                @Override
                public void run() {
                    try {
                        delegate.run();
                    } finally {
                        elsewhere.shutdown();
                    }
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Threads

    /**
     * callFromThread that does not wake the loop: calls wait in a queue of their own until
     * something else (a delayed call, a connection's event) happens to run.
     */
    @CaughtBy(value = "THR-02", reason = "callFromThread did not wake the idle reactor")
    public static final class CallFromThreadDoesNotWake extends BrokenProvider {
        public CallFromThreadDoesNotWake() {
            super("broken-call-from-thread-does-not-wake", () -> new WrappingReactor() {
                private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

                private void drain() {
                    for (Runnable call; (call = waiting.poll()) != null; ) {
                        try {
                            call.run();
                        } catch (Throwable e) {
                            dev.twine.defer.ErrorLog.current().err(new Failure(e), "Unhandled error in a callFromThread call:");
                        }
                    }
                }

                @Override
                public void callFromThread(Runnable callable) {
                    if (isInIOThread()) {
                        delegate.callFromThread(callable);
                    } else {
                        waiting.add(callable);
                    }
                }

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return delegate.callLater(delay, () -> {
                        drain();
                        callable.run();
                    });
                }

                @Override
                public void callWhenRunning(Runnable callable) {
                    delegate.callWhenRunning(() -> {
                        drain();
                        callable.run();
                    });
                }

                @Override
                protected Transport transport(Transport real) {
                    drain();
                    return super.transport(real);
                }
            });
        }
    }

    /** A thread pool that is never stopped: work runs on threads that outlive the reactor. */
    @CaughtBy(value = "THR-12", reason = "alive .* after run\\(\\) returned")
    public static final class PoolNeverStopped extends BrokenProvider {
        public PoolNeverStopped() {
            super("broken-pool-never-stopped", () -> new ForwardingReactor() {
                private final ExecutorService pool = Executors.newCachedThreadPool(work -> {
                    Thread thread = new Thread(work, "broken-reactor-pool");
                    thread.setDaemon(true);
                    return thread;
                });

                @Override
                public void callInThread(Runnable callable) {
                    pool.execute(callable);
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // TCP

    /**
     * Bytes dropped at loseConnection: writes are passed on at the next turn of the loop, but
     * loseConnection closes at once, so what was written in the same callback is lost.
     */
    @CaughtBy(value = {"TCP-31", "TUT-04"}, reason = "bytes the peer received|just before loseConnection")
    public static final class DropsBytesAtLoseConnection extends BrokenProvider {
        public DropsBytesAtLoseConnection() {
            super("broken-drops-bytes-at-lose-connection", new Supplier<Reactor>() {
                @Override
                public Reactor get() {
                    return new WrappingReactor() {
                        @Override
                        protected Transport transport(Transport real) {
                            ForwardingReactor reactor = this;
                            return new ForwardingTransport(real) {
                                private final List<byte[]> held = new ArrayList<>();

                                @Override
                                public void write(byte[] data) {
                                    if (held.isEmpty()) {
                                        reactor.callLater(Duration.ZERO, () -> {
                                            for (byte[] piece : held) {
                                                real.write(piece);
                                            }
                                            held.clear();
                                        });
                                    }
                                    held.add(data.clone());
                                }

                                @Override
                                public void writeSequence(List<byte[]> data) {
                                    data.forEach(this::write);
                                }

                                @Override
                                public void loseConnection() {
                                    held.clear(); // what this callback wrote is dropped
                                    real.loseConnection();
                                }

                                @Override
                                public void write(java.nio.ByteBuffer data) {
                                    byte[] copy = new byte[data.remaining()];
                                    data.get(copy);
                                    write(copy);
                                }
                            };
                        }
                    };
                }
            });
        }
    }

    /** A wrong connectionLost reason: a reset is reported as a clean close. */
    @CaughtBy(value = "TCP-34", reason = "ConnectionDone")
    public static final class ResetReportedAsClean extends BrokenProvider {
        public ResetReportedAsClean() {
            super("broken-reset-reported-as-clean", () -> new WrappingReactor() {
                @Override
                protected Failure lost(Failure reason) {
                    return reason.value() instanceof ConnectionLost && !(reason.value() instanceof ConnectionDone)
                            ? new Failure(new ConnectionDone()) : reason;
                }
            });
        }
    }

    /** stopListening whose Deferred never fires (the port does close). */
    @CaughtBy(value = "TCP-04", reason = "Deferred had not fired .* ms later, and the port was closed")
    public static final class StopListeningNeverFires extends BrokenProvider {
        public StopListeningNeverFires() {
            super("broken-stop-listening-never-fires", () -> new ForwardingReactor() {
                @Override
                protected ListeningPort wrap(ListeningPort port) {
                    return new ListeningPort() {
                        @Override
                        public Deferred<Void> stopListening() {
                            port.stopListening();
                            return new Deferred<>();
                        }

                        @Override
                        public Address getHost() {
                            return port.getHost();
                        }
                    };
                }
            });
        }
    }

    /** Half-close ignored: loseWriteConnection does nothing. */
    @CaughtBy(value = "TCP-40", reason = "no end of stream within \\d+ ms \\(it did not half-close\\)")
    public static final class HalfCloseIgnored extends BrokenProvider {
        public HalfCloseIgnored() {
            super("broken-half-close-ignored", () -> new WrappingReactor() {
                @Override
                protected Transport transport(Transport real) {
                    return new ForwardingTransport(real) {
                        @Override
                        public void loseWriteConnection() {
                            // ignored
                        }
                    };
                }
            });
        }
    }

    /** writeSequence that reorders: the pieces go out last first. */
    @CaughtBy(value = "TCP-23", reason = "first,fourth,third,second")
    public static final class WriteSequenceReordered extends BrokenProvider {
        public WriteSequenceReordered() {
            super("broken-write-sequence-reordered", () -> new WrappingReactor() {
                @Override
                protected Transport transport(Transport real) {
                    return new ForwardingTransport(real) {
                        @Override
                        public void writeSequence(List<byte[]> data) {
                            for (int i = data.size() - 1; i >= 0; i--) {
                                real.write(data.get(i));
                            }
                        }
                    };
                }
            });
        }
    }

    /** A streaming producer that is never paused, however much is buffered. */
    @CaughtBy(value = "TCP-43", reason = "-1: it was never paused")
    public static final class ProducerNeverPaused extends BrokenProvider {
        public ProducerNeverPaused() {
            super("broken-producer-never-paused", () -> new WrappingReactor() {
                @Override
                protected Transport transport(Transport real) {
                    return new ForwardingTransport(real) {
                        @Override
                        public void registerProducer(Producer producer, boolean streaming) {
                            if (!streaming) {
                                real.registerProducer(producer, false);
                                return;
                            }
                            PushProducer push = (PushProducer) producer;
                            real.registerProducer(new PushProducer() {
                                @Override
                                public void pauseProducing() {
                                    // never passed on
                                }

                                @Override
                                public void resumeProducing() {
                                    push.resumeProducing();
                                }

                                @Override
                                public void stopProducing() {
                                    push.stopProducing();
                                }
                            }, true);
                        }
                    };
                }
            });
        }
    }

    /**
     * Leaks a socket per accepted connection: for each client it also connects to its own port and
     * never closes that socket, so each connection leaves two descriptors open (that socket and the
     * server side the reactor accepts for it) until the reactor stops.
     */
    @CaughtBy(value = "TCP-52", reason = "sockets still open in this process for connections accepted")
    public static final class LeaksASocketPerConnection extends BrokenProvider {
        public LeaksASocketPerConnection() {
            super("broken-leaks-a-socket-per-connection", () -> new ForwardingReactor() {
                private final List<SocketChannel> leaked = new ArrayList<>();
                private final Set<Integer> leakedPorts = new HashSet<>();

                {
                    delegate.addSystemEventTrigger(Phase.AFTER, "shutdown", () -> {
                        for (SocketChannel socket : leaked) {
                            socket.close();
                        }
                        return null;
                    });
                }

                @Override
                public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
                    ListeningPort[] listening = new ListeningPort[1];
                    listening[0] = super.listenTCP(port, address -> {
                        int peerPort = address instanceof IPv4Address v4 ? v4.port()
                                : address instanceof IPv6Address v6 ? v6.port() : -1;
                        if (!leakedPorts.contains(peerPort) && listening[0] != null) {
                            try {
                                // Non-blocking: the kernel completes the handshake from the backlog, and the
                                // loop accepts the other end later (a blocking connect could wait on a full backlog).
                                SocketChannel socket = SocketChannel.open();
                                leaked.add(socket);
                                socket.configureBlocking(false);
                                String host = iface.isEmpty() ? "127.0.0.1" : iface;
                                socket.bind(new InetSocketAddress(host, 0)); // its port known before it connects
                                leakedPorts.add(((InetSocketAddress) socket.getLocalAddress()).getPort());
                                socket.connect(new InetSocketAddress(host,
                                        ((IPv4Address) listening[0].getHost()).port()));
                            } catch (IOException | ClassCastException e) {
                                // nothing more leaked this time
                            }
                        }
                        return factory.buildProtocol(address);
                    }, backlog, iface);
                    return listening[0];
                }
            });
        }
    }
}
