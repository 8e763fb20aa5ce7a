package dev.twine.conformance.broken;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Broken variants of the built-in reactor for the core contract (triggers, shutdown, time,
 * threads, UDP, Unix, descriptors), each a wrapper at the API with one fault a real
 * implementation could have. Each provider's {@link CaughtBy} names the rule of TriggerRules,
 * TimeContractRules, ThreadContractRules, UdpContractRules, UnixContractRules or
 * DescriptorContractRules that catches it.
 */
final class ReactorFaults {
    private ReactorFaults() {
    }

    // ------------------------------------------------------------------------------------------
    // Time

    /** A delayed call that forwards to the real one; variants override what they break. */
    static class ForwardingCall implements DelayedCall {
        final DelayedCall real;

        ForwardingCall(DelayedCall real) {
            this.real = real;
        }

        @Override
        public double getTime() {
            return real.getTime();
        }

        @Override
        public void cancel() {
            real.cancel();
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
            return real.isActive();
        }

        @Override
        public boolean isCalled() {
            return real.isCalled();
        }

        @Override
        public boolean isCancelled() {
            return real.isCancelled();
        }
    }

    private static Duration notNegative(Duration delay) {
        return delay.isNegative() ? Duration.ZERO : delay;
    }

    /** A negative delay taken as zero by callLater, reset and delay, instead of refused. */
    @CaughtBy(value = {"TIME-09", "TIME-20", "TIME-21"}, reason = "negative delay was accepted|raise a throwable")
    public static final class NegativeDelaysAccepted extends BrokenProvider {
        public NegativeDelaysAccepted() {
            super("broken-negative-delays-accepted", () -> new ForwardingReactor() {
                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return new ForwardingCall(delegate.callLater(notNegative(delay), callable)) {
                        @Override
                        public void delay(Duration secondsLater) {
                            real.delay(notNegative(secondsLater));
                        }

                        @Override
                        public void reset(Duration secondsFromNow) {
                            real.reset(notNegative(secondsFromNow));
                        }
                    };
                }
            });
        }
    }

    /**
     * The due calls of a pass are taken out of the queue before the first runs: a call cancelled (or
     * reset) by an earlier one of the same pass says so, but runs anyway.
     */
    static class BatchedTimers extends ForwardingReactor {
        private final boolean breakCancel;

        BatchedTimers(boolean breakCancel) {
            this.breakCancel = breakCancel;
        }

        @Override
        public DelayedCall callLater(Duration delay, Runnable callable) {
            boolean[] taken = new boolean[1]; // cancelled while already in the batch: runs anyway
            DelayedCall real = delegate.callLater(delay, callable);
            return new ForwardingCall(real) {
                private boolean inBatch() {
                    return real.isActive() && real.getTime() <= delegate.seconds();
                }

                @Override
                public void cancel() {
                    if (breakCancel && inBatch()) {
                        taken[0] = true;
                        return;
                    }
                    real.cancel();
                }

                @Override
                public void reset(Duration secondsFromNow) {
                    if (!breakCancel && inBatch()) {
                        // it runs from the batch now, and is scheduled again for the new time
                        delegate.callLater(secondsFromNow, callable);
                        return;
                    }
                    real.reset(secondsFromNow);
                }

                @Override
                public boolean isCancelled() {
                    return taken[0] || real.isCancelled();
                }

                @Override
                public boolean isActive() {
                    return !taken[0] && real.isActive();
                }
            };
        }
    }

    /** Cancelling a call that is in the current batch of due calls has no effect. */
    @CaughtBy(value = "TIME-22", reason = "cancelled by an earlier call of the same batch of due calls ran")
    public static final class CancelInTheBatchIgnored extends BrokenProvider {
        public CancelInTheBatchIgnored() {
            super("broken-cancel-in-the-batch-ignored", () -> new BatchedTimers(true));
        }
    }

    /** Resetting a call that is in the current batch of due calls still lets it run in that batch. */
    @CaughtBy(value = "TIME-23", reason = "reset by an earlier call of the same batch ran anyway")
    public static final class ResetInTheBatchIgnored extends BrokenProvider {
        public ResetInTheBatchIgnored() {
            super("broken-reset-in-the-batch-ignored", () -> new BatchedTimers(false));
        }
    }

    /** Delays converted with Duration.toNanos(), which throws for a thousand years. */
    @CaughtBy(value = "TIME-24", reason = "ArithmeticException|overflow")
    public static final class FarFutureDelayThrows extends BrokenProvider {
        public FarFutureDelayThrows() {
            super("broken-far-future-delay-throws", () -> new ForwardingReactor() {
                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    delay.toNanos();
                    return new ForwardingCall(delegate.callLater(delay, callable)) {
                        @Override
                        public void delay(Duration secondsLater) {
                            secondsLater.toNanos();
                            real.delay(secondsLater);
                        }

                        @Override
                        public void reset(Duration secondsFromNow) {
                            secondsFromNow.toNanos();
                            real.reset(secondsFromNow);
                        }
                    };
                }
            });
        }
    }

    /** Delays saturated at Long.MAX_VALUE nanoseconds and added to the clock: the due time wraps into the past. */
    @CaughtBy(value = "TIME-24", reason = "overflowed")
    public static final class FarFutureDelayWrapsAround extends BrokenProvider {
        public FarFutureDelayWrapsAround() {
            super("broken-far-future-delay-wraps-around", () -> new ForwardingReactor() {
                private Duration wrapped(Duration delay) {
                    long nanos;
                    try {
                        nanos = delay.toNanos();
                    } catch (ArithmeticException e) {
                        nanos = Long.MAX_VALUE;
                    }
                    long now = System.nanoTime();
                    long due = now + nanos;
                    return due < now ? Duration.ZERO : Duration.ofNanos(nanos);
                }

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return new ForwardingCall(delegate.callLater(wrapped(delay), callable)) {
                        @Override
                        public void delay(Duration secondsLater) {
                            Duration d = wrapped(secondsLater);
                            if (d.isZero() && !secondsLater.isZero()) {
                                real.reset(Duration.ZERO);
                            } else {
                                real.delay(d);
                            }
                        }

                        @Override
                        public void reset(Duration secondsFromNow) {
                            real.reset(wrapped(secondsFromNow));
                        }
                    };
                }
            });
        }
    }

    /** A call's state is set only after its callable returns: inside it, it is still active and can be cancelled. */
    @CaughtBy(value = "TIME-25", reason = "what the running call saw of itself")
    public static final class CalledOnlyAfterItRan extends BrokenProvider {
        public CalledOnlyAfterItRan() {
            super("broken-called-only-after-it-ran", () -> new ForwardingReactor() {
                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    boolean[] running = new boolean[1];
                    DelayedCall real = delegate.callLater(delay, () -> {
                        running[0] = true;
                        try {
                            callable.run();
                        } finally {
                            running[0] = false;
                        }
                    });
                    return new ForwardingCall(real) {
                        @Override
                        public boolean isCalled() {
                            return !running[0] && real.isCalled();
                        }

                        @Override
                        public boolean isActive() {
                            return running[0] || real.isActive();
                        }

                        @Override
                        public void cancel() {
                            if (!running[0]) {
                                real.cancel();
                            }
                        }
                    };
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Core: triggers and shutdown

    /** How a hand-made trigger registry goes wrong. */
    enum TriggerFault {
        /** Every phase's list is copied when the event fires: triggers removed meanwhile still run. */
        SNAPSHOT,
        /** Walks the live list by index: removing a trigger that ran makes it skip the next ones. */
        INDEX,
        /** A trigger that throws ends its phase. */
        ABORT_ON_THROW,
        /** Waits only for the Deferred of the last before trigger that returned one. */
        LAST_DEFERRED_ONLY,
        /** Counts pending Deferreds as they come: one firing before the next is returned releases the event. */
        EAGER_COUNT
    }

    /**
     * The nio reactor with a trigger registry of its own for application events and shutdown (startup
     * stays the nio reactor's), broken in one way.
     */
    static class HandMadeTriggers extends ForwardingReactor {
        private record Entry(TriggerHandle handle, SystemEventTrigger trigger) {
        }

        private final TriggerFault fault;
        private final Map<String, Map<Phase, List<Entry>>> events = new HashMap<>();

        HandMadeTriggers(TriggerFault fault) {
            this.fault = fault;
            // Shutdown's phases run through this registry, after the nio reactor's own triggers.
            for (Phase phase : Phase.values()) {
                delegate.addSystemEventTrigger(phase, SHUTDOWN, () -> phase == Phase.BEFORE ? runBefore(SHUTDOWN, null)
                        : runPhase(SHUTDOWN, phase, null));
            }
        }

        private List<Entry> list(String event, Phase phase) {
            return events.computeIfAbsent(event, e -> new EnumMap<>(Phase.class)).computeIfAbsent(phase, p -> new ArrayList<>());
        }

        @Override
        public TriggerHandle addSystemEventTrigger(Phase phase, String eventType, SystemEventTrigger trigger) {
            if (STARTUP.equals(eventType)) {
                return delegate.addSystemEventTrigger(phase, eventType, trigger);
            }
            TriggerHandle handle = new TriggerHandle(phase, eventType);
            list(eventType, phase).add(new Entry(handle, trigger));
            return handle;
        }

        @Override
        public void removeSystemEventTrigger(TriggerHandle handle) {
            if (STARTUP.equals(handle.eventType())) {
                delegate.removeSystemEventTrigger(handle);
                return;
            }
            if (!list(handle.eventType(), handle.phase()).removeIf(e -> e.handle() == handle)) {
                throw new IllegalArgumentException("no such trigger: " + handle);
            }
        }

        @Override
        public void fireSystemEvent(String eventType) {
            if (STARTUP.equals(eventType) || SHUTDOWN.equals(eventType)) {
                delegate.fireSystemEvent(eventType);
                return;
            }
            Map<Phase, List<Entry>> copies = new EnumMap<>(Phase.class);
            if (fault == TriggerFault.SNAPSHOT) {
                for (Phase phase : Phase.values()) {
                    copies.put(phase, List.copyOf(list(eventType, phase)));
                }
            }
            runBefore(eventType, copies.get(Phase.BEFORE)).addVoidCallback(ignored -> {
                runPhase(eventType, Phase.DURING, copies.get(Phase.DURING));
                runPhase(eventType, Phase.AFTER, copies.get(Phase.AFTER));
            });
        }

        private Deferred<Void> runBefore(String event, List<Entry> snapshot) {
            List<Deferred<?>> waits = new ArrayList<>();
            Deferred<Void> released = new Deferred<>();
            int[] pending = new int[1];
            walk(event, Phase.BEFORE, snapshot, result -> {
                waits.add(result);
                if (fault == TriggerFault.EAGER_COUNT) {
                    pending[0]++;
                    result.addVoidBoth((v, f) -> {
                        if (--pending[0] == 0 && !released.isCalled()) {
                            released.callback(null);
                        }
                    });
                }
            });
            if (fault == TriggerFault.EAGER_COUNT) {
                if (pending[0] == 0 && !released.isCalled()) {
                    released.callback(null);
                }
                return released;
            }
            if (waits.isEmpty()) {
                return Deferred.succeed(null);
            }
            if (fault == TriggerFault.LAST_DEFERRED_ONLY) {
                return waits.get(waits.size() - 1).addVoidBoth((v, f) -> { });
            }
            List<Deferred<Object>> all = new ArrayList<>();
            for (Deferred<?> wait : waits) {
                @SuppressWarnings("unchecked")
                Deferred<Object> typed = (Deferred<Object>) wait;
                all.add(typed);
            }
            return DeferredList.of(all, DeferredList.Option.CONSUME_ERRORS).addVoidCallback(outcomes -> { });
        }

        private Deferred<Void> runPhase(String event, Phase phase, List<Entry> snapshot) {
            walk(event, phase, snapshot, result -> { });
            return null;
        }

        private void walk(String event, Phase phase, List<Entry> snapshot, java.util.function.Consumer<Deferred<?>> waits) {
            List<Entry> live = list(event, phase);
            if (fault == TriggerFault.INDEX) {
                for (int i = 0; i < live.size(); i++) {
                    if (!run(live.get(i), waits)) {
                        return;
                    }
                }
                return;
            }
            for (Entry entry : snapshot != null ? snapshot : List.copyOf(live)) {
                if ((snapshot != null || live.contains(entry)) && !run(entry, waits)) {
                    return;
                }
            }
        }

        /** Runs one trigger; false if the phase must end here. */
        private boolean run(Entry entry, java.util.function.Consumer<Deferred<?>> waits) {
            try {
                Deferred<?> result = entry.trigger().run();
                if (result != null) {
                    waits.accept(result);
                }
                return true;
            } catch (Throwable e) {
                ErrorLog.current().err(new Failure(e), "A system event trigger failed:");
                return fault != TriggerFault.ABORT_ON_THROW;
            }
        }
    }

    /** Triggers removed while their event fires still run: the lists were copied when it began. */
    @CaughtBy(value = {"CORE-20", "CORE-22", "CORE-23"}, reason = "removed by .* must not run|removed while the event "
            + "waited ran anyway")
    public static final class TriggerRemovalWhileFiringIgnored extends BrokenProvider {
        public TriggerRemovalWhileFiringIgnored() {
            super("broken-trigger-removal-while-firing-ignored", () -> new HandMadeTriggers(TriggerFault.SNAPSHOT));
        }
    }

    /** Removing a trigger that has run shifts the live list under the loop's index: later triggers are skipped. */
    @CaughtBy(value = "CORE-21", reason = "removing triggers that already ran skipped or repeated a later one")
    public static final class TriggerRemovalSkipsTheNext extends BrokenProvider {
        public TriggerRemovalSkipsTheNext() {
            super("broken-trigger-removal-skips-the-next", () -> new HandMadeTriggers(TriggerFault.INDEX));
        }
    }

    /** A trigger that throws ends its phase: the rest of the during triggers, at shutdown too, never run. */
    @CaughtBy(value = {"CORE-24", "CORE-31"}, reason = "a failing during trigger stopped the rest")
    public static final class FailingTriggerStopsThePhase extends BrokenProvider {
        public FailingTriggerStopsThePhase() {
            super("broken-failing-trigger-stops-the-phase", () -> new HandMadeTriggers(TriggerFault.ABORT_ON_THROW));
        }
    }

    /** Only the last before trigger's Deferred is waited for. */
    @CaughtBy(value = "CORE-25", reason = "during phase ran before every before trigger's Deferred had fired")
    public static final class OnlyTheLastBeforeDeferredAwaited extends BrokenProvider {
        public OnlyTheLastBeforeDeferredAwaited() {
            super("broken-only-the-last-before-deferred-awaited", () -> new HandMadeTriggers(TriggerFault.LAST_DEFERRED_ONLY));
        }
    }

    /** Pending before-Deferreds counted as they are returned: one that fires before the next is returned releases the event. */
    @CaughtBy(value = "CORE-26", reason = "the during phase did not wait for every before trigger")
    public static final class BeforeDeferredsCountedEagerly extends BrokenProvider {
        public BeforeDeferredsCountedEagerly() {
            super("broken-before-deferreds-counted-eagerly", () -> new HandMadeTriggers(TriggerFault.EAGER_COUNT));
        }
    }

    /** stop() from a shutdown trigger fires shutdown again instead of refusing. */
    @CaughtBy(value = "CORE-29", reason = "stop\\(\\) from a shutdown trigger re-entered shutdown")
    public static final class StopFromShutdownReenters extends BrokenProvider {
        public StopFromShutdownReenters() {
            super("broken-stop-from-shutdown-reenters", () -> new ForwardingReactor() {
                private final List<SystemEventTrigger> shutdown = new ArrayList<>();
                private boolean stopping;
                private boolean reentered;

                @Override
                public TriggerHandle addSystemEventTrigger(Phase phase, String eventType, SystemEventTrigger trigger) {
                    if (SHUTDOWN.equals(eventType)) {
                        shutdown.add(trigger);
                    }
                    return delegate.addSystemEventTrigger(phase, eventType, trigger);
                }

                @Override
                public void stop() {
                    if (!stopping) {
                        stopping = true;
                        delegate.stop();
                    } else if (!reentered) {
                        reentered = true;
                        runAll(shutdown); // shutdown, once more
                    }
                }
            });
        }
    }

    /** Runs triggers in order, logging those that throw. */
    static void runAll(List<SystemEventTrigger> triggers) {
        for (SystemEventTrigger trigger : List.copyOf(triggers)) {
            try {
                trigger.run();
            } catch (Exception e) {
                ErrorLog.current().err(new Failure(e), "A shutdown trigger failed:");
            }
        }
    }

    /** At shutdown, the first protocol whose connectionLost throws ends the loop over the connections. */
    @CaughtBy(value = "CORE-32", reason = "one whose connectionLost threw stopped the others")
    public static final class ShutdownStopsAtAFailingProtocol extends BrokenProvider {
        public ShutdownStopsAtAFailingProtocol() {
            super("broken-shutdown-stops-at-a-failing-protocol", () -> new ForwardingReactor() {
                private boolean shuttingDown;
                private boolean aborted;

                {
                    delegate.addSystemEventTrigger(Phase.BEFORE, SHUTDOWN, () -> {
                        shuttingDown = true;
                        return null;
                    });
                }

                @Override
                protected ProtocolFactory wrap(ProtocolFactory factory) {
                    return new ProtocolFactory() {
                        @Override
                        public dev.twine.protocol.Protocol buildProtocol(Address address) {
                            dev.twine.protocol.Protocol inner = factory.buildProtocol(address);
                            return inner == null ? null : new dev.twine.protocol.Protocol() {
                                @Override
                                public void connectionMade() {
                                    inner.makeConnection(transport());
                                }

                                @Override
                                public void dataReceived(byte[] data) {
                                    inner.dataReceived(data);
                                }

                                @Override
                                public void connectionLost(Failure reason) {
                                    if (aborted) {
                                        return;
                                    }
                                    try {
                                        inner.connectionLost(reason);
                                    } catch (RuntimeException e) {
                                        aborted = shuttingDown;
                                        throw e;
                                    }
                                }
                            };
                        }

                        @Override
                        public void doStart() {
                            factory.doStart();
                        }

                        @Override
                        public void doStop() {
                            factory.doStop();
                        }
                    };
                }
            });
        }
    }

    /** stop() runs the before-shutdown triggers inside the call. */
    @CaughtBy(value = "CORE-28", reason = "stop\\(\\) ran the shutdown triggers inside the call")
    public static final class ShutdownInsideStop extends BrokenProvider {
        public ShutdownInsideStop() {
            super("broken-shutdown-inside-stop", () -> new ForwardingReactor() {
                private final List<SystemEventTrigger> before = new ArrayList<>();

                @Override
                public TriggerHandle addSystemEventTrigger(Phase phase, String eventType, SystemEventTrigger trigger) {
                    if (phase == Phase.BEFORE && SHUTDOWN.equals(eventType)) {
                        before.add(trigger);
                        return new TriggerHandle(phase, eventType);
                    }
                    return delegate.addSystemEventTrigger(phase, eventType, trigger);
                }

                @Override
                public void stop() {
                    if (!delegate.isRunning()) {
                        throw new ReactorNotRunningException();
                    }
                    runAll(before);
                    before.clear();
                    delegate.stop();
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Threads

    /** callFromThread on the reactor thread queues the call without waking the loop: it waits for the next timer. */
    @CaughtBy(value = "THR-20", reason = "the loop was not woken")
    public static final class CallFromTheReactorThreadDoesNotWake extends BrokenProvider {
        public CallFromTheReactorThreadDoesNotWake() {
            super("broken-call-from-the-reactor-thread-does-not-wake", () -> new ForwardingReactor() {
                private final Queue<Runnable> unwoken = new ConcurrentLinkedQueue<>();

                private void runUnwoken() {
                    for (Runnable call; (call = unwoken.poll()) != null; ) {
                        call.run();
                    }
                }

                @Override
                public void callFromThread(Runnable callable) {
                    if (delegate.isInIOThread() && delegate.isRunning()) {
                        unwoken.add(callable);
                    } else {
                        delegate.callFromThread(() -> {
                            runUnwoken();
                            callable.run();
                        });
                    }
                }

                @Override
                public DelayedCall callLater(Duration delay, Runnable callable) {
                    return delegate.callLater(delay, () -> {
                        runUnwoken();
                        callable.run();
                    });
                }
            });
        }
    }

    /** A call queued with callFromThread from a queued call runs at once, in the same pass. */
    @CaughtBy(value = "THR-21", reason = "a call queued from a queued call ran in the same pass")
    public static final class QueuedCallsRunInTheSamePass extends BrokenProvider {
        public QueuedCallsRunInTheSamePass() {
            super("broken-queued-calls-run-in-the-same-pass", () -> new ForwardingReactor() {
                private List<Runnable> queuedMeanwhile;

                @Override
                public void callFromThread(Runnable callable) {
                    if (queuedMeanwhile != null && delegate.isInIOThread()) {
                        queuedMeanwhile.add(callable);
                        return;
                    }
                    delegate.callFromThread(() -> {
                        queuedMeanwhile = new ArrayList<>();
                        try {
                            callable.run();
                            for (int i = 0; i < queuedMeanwhile.size(); i++) {
                                queuedMeanwhile.get(i).run();
                            }
                        } finally {
                            queuedMeanwhile = null;
                        }
                    });
                }
            });
        }
    }

    /** suggestThreadPoolSize before run() is ignored: the pool keeps its default size. */
    @CaughtBy(value = "THR-22", reason = "a pool size set before run\\(\\) was ignored")
    public static final class PoolSizeBeforeRunIgnored extends BrokenProvider {
        public PoolSizeBeforeRunIgnored() {
            super("broken-pool-size-before-run-ignored", () -> new ForwardingReactor() {
                @Override
                public void suggestThreadPoolSize(int size) {
                    if (delegate.isRunning()) {
                        delegate.suggestThreadPoolSize(size);
                    }
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // UDP

    /** A UDP transport that forwards to the real one; variants override what they break. */
    static class ForwardingDatagramTransport implements DatagramTransport {
        final DatagramTransport real;

        ForwardingDatagramTransport(DatagramTransport real) {
            this.real = real;
        }

        @Override
        public void write(byte[] datagram, String host, int port) {
            real.write(datagram, host, port);
        }

        @Override
        public void write(byte[] datagram) {
            real.write(datagram);
        }

        @Override
        public void connect(String host, int port) {
            real.connect(host, port);
        }

        @Override
        public void setBroadcastAllowed(boolean enabled) {
            real.setBroadcastAllowed(enabled);
        }

        @Override
        public boolean getBroadcastAllowed() {
            return real.getBroadcastAllowed();
        }

        @Override
        public Deferred<Void> stopListening() {
            return real.stopListening();
        }

        @Override
        public Address getHost() {
            return real.getHost();
        }
    }

    /** An exception from datagramReceived closes the port. */
    @CaughtBy(value = "UDP-10", reason = "the port was closed by the protocol's exception")
    public static final class DatagramErrorClosesThePort extends BrokenProvider {
        public DatagramErrorClosesThePort() {
            super("broken-datagram-error-closes-the-port", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    return delegate.listenUDP(port, new DatagramProtocol() {
                        @Override
                        public void startProtocol() {
                            protocol.makeConnection(transport());
                        }

                        @Override
                        public void stopProtocol() {
                            protocol.stopProtocol();
                        }

                        @Override
                        public void connectionRefused() {
                            protocol.connectionRefused();
                        }

                        @Override
                        public void datagramReceived(byte[] data, Address from) {
                            try {
                                protocol.datagramReceived(data, from);
                            } catch (RuntimeException e) {
                                ErrorLog.current().err(new Failure(e), "datagramReceived failed; closing the port:");
                                transport().stopListening();
                            }
                        }
                    }, iface, maxPacketSize);
                }
            });
        }
    }

    /** A connected UDP port that only remembers its peer for writes: the socket itself is not connected. */
    @CaughtBy(value = "UDP-13", reason = "accepted a datagram from a sender other than its peer")
    public static final class ConnectedUdpAcceptsAnySender extends BrokenProvider {
        public ConnectedUdpAcceptsAnySender() {
            super("broken-connected-udp-accepts-any-sender", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    return new ForwardingDatagramTransport(delegate.listenUDP(port, protocol, iface, maxPacketSize)) {
                        private String peerHost;
                        private int peerPort;

                        @Override
                        public void connect(String host, int toPort) {
                            if (peerHost != null) {
                                throw new IllegalStateException("already connected");
                            }
                            peerHost = host;
                            peerPort = toPort;
                        }

                        @Override
                        public void write(byte[] datagram) {
                            if (peerHost == null) {
                                throw new IllegalStateException("not connected");
                            }
                            real.write(datagram, peerHost, peerPort);
                        }
                    };
                }
            });
        }
    }

    /** Address in use reported as an UncheckedIOException instead of CannotListenException. */
    @CaughtBy(value = "UDP-11", reason = "address in use\\) did not throw CannotListenException")
    public static final class UdpBindErrorNotCannotListen extends BrokenProvider {
        public UdpBindErrorNotCannotListen() {
            super("broken-udp-bind-error-not-cannot-listen", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    try {
                        return delegate.listenUDP(port, protocol, iface, maxPacketSize);
                    } catch (CannotListenException e) {
                        throw new UncheckedIOException(new IOException("bind failed", e));
                    }
                }
            });
        }
    }

    /** stopListening on a UDP port fires its Deferred at once and closes the socket a little later. */
    @CaughtBy(value = "UDP-12", reason = "after stopListening fired: the socket was not closed yet")
    public static final class UdpStopListeningFiresEarly extends BrokenProvider {
        public UdpStopListeningFiresEarly() {
            super("broken-udp-stop-listening-fires-early", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    return new ForwardingDatagramTransport(delegate.listenUDP(port, protocol, iface, maxPacketSize)) {
                        @Override
                        public Deferred<Void> stopListening() {
                            delegate.callLater(Duration.ofMillis(100), real::stopListening);
                            return Deferred.succeed(null);
                        }
                    };
                }
            });
        }
    }

    /** write(datagram) on an unconnected port is silently dropped instead of refused. */
    @CaughtBy(value = "UDP-14", reason = "write\\(datagram\\) on an unconnected port was accepted")
    public static final class UdpUnaddressedWriteDropped extends BrokenProvider {
        public UdpUnaddressedWriteDropped() {
            super("broken-udp-unaddressed-write-dropped", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    return new ForwardingDatagramTransport(delegate.listenUDP(port, protocol, iface, maxPacketSize)) {
                        private boolean connected;

                        @Override
                        public void connect(String host, int toPort) {
                            real.connect(host, toPort);
                            connected = true;
                        }

                        @Override
                        public void write(byte[] datagram) {
                            if (connected) {
                                real.write(datagram);
                            }
                        }
                    };
                }
            });
        }
    }

    /** connect on a connected UDP port is ignored instead of refused. */
    @CaughtBy(value = "UDP-18", reason = "connect on a port that is already connected was accepted")
    public static final class UdpSecondConnectIgnored extends BrokenProvider {
        public UdpSecondConnectIgnored() {
            super("broken-udp-second-connect-ignored", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    return new ForwardingDatagramTransport(delegate.listenUDP(port, protocol, iface, maxPacketSize)) {
                        private boolean connected;

                        @Override
                        public void connect(String host, int toPort) {
                            if (!connected) {
                                real.connect(host, toPort);
                                connected = true;
                            }
                        }
                    };
                }
            });
        }
    }

    /** A write the socket's address family cannot take is dropped as if it were a full socket buffer. */
    @CaughtBy(value = "UDP-19", reason = "was not refused with IllegalArgumentException")
    public static final class UdpWrongFamilyWriteDropped extends BrokenProvider {
        public UdpWrongFamilyWriteDropped() {
            super("broken-udp-wrong-family-write-dropped", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    return new ForwardingDatagramTransport(delegate.listenUDP(port, protocol, iface, maxPacketSize)) {
                        @Override
                        public void write(byte[] datagram, String host, int toPort) {
                            try {
                                real.write(datagram, host, toPort);
                            } catch (java.nio.channels.UnsupportedAddressTypeException dropped) {
                                // "UDP may drop a datagram": wrong
                            }
                        }
                    };
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Unix

    /** listenUNIX deletes whatever is at the path first, a live socket included ("clean up a stale socket"). */
    @CaughtBy(value = "UNIX-10", reason = "address in use\\) did not throw CannotListenException")
    public static final class UnixListenReplacesALiveSocket extends BrokenProvider {
        public UnixListenReplacesALiveSocket() {
            super("broken-unix-listen-replaces-a-live-socket", () -> new ForwardingReactor() {
                @Override
                public ListeningPort listenUNIX(Path address, ProtocolFactory factory, int backlog) {
                    try {
                        Files.deleteIfExists(address);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return delegate.listenUNIX(address, factory, backlog);
                }
            });
        }
    }

    /** stopListening on a Unix port fires its Deferred at once and closes the socket a little later. */
    @CaughtBy(value = {"UNIX-11", "UNIX-12"}, reason = "after stopListening fired: the (socket was not closed|port still "
            + "accepts)")
    public static final class UnixStopListeningFiresEarly extends BrokenProvider {
        public UnixStopListeningFiresEarly() {
            super("broken-unix-stop-listening-fires-early", () -> new ForwardingReactor() {
                @Override
                public ListeningPort listenUNIX(Path address, ProtocolFactory factory, int backlog) {
                    ListeningPort real = delegate.listenUNIX(address, factory, backlog);
                    return new ListeningPort() {
                        @Override
                        public Deferred<Void> stopListening() {
                            delegate.callLater(Duration.ofMillis(300), real::stopListening);
                            return Deferred.succeed(null);
                        }

                        @Override
                        public Address getHost() {
                            return real.getHost();
                        }
                    };
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Descriptors

    /** A reader that stands in for the application's, so that the broken reactor can change what it is told. */
    static class ForwardingReader implements ReadDescriptor {
        final ReadDescriptor inner;

        ForwardingReader(ReadDescriptor inner) {
            this.inner = inner;
        }

        @Override
        public Throwable doRead() throws Exception {
            return inner.doRead();
        }

        @Override
        public SelectableChannel channel() {
            return inner.channel();
        }

        @Override
        public void connectionLost(Failure reason) {
            inner.connectionLost(reason);
        }

        @Override
        public String logPrefix() {
            return inner.logPrefix();
        }
    }

    /** At shutdown, the first connectionLost that throws ends the loop over the descriptors: the rest never hear it. */
    @CaughtBy(value = "DESC-10", reason = "one whose connectionLost threw stopped the others")
    public static final class ShutdownStopsAtAFailingConnectionLost extends BrokenProvider {
        public ShutdownStopsAtAFailingConnectionLost() {
            super("broken-shutdown-stops-at-a-failing-connection-lost", () -> new ForwardingReactor() {
                private final Map<ReadDescriptor, ReadDescriptor> proxies = new IdentityHashMap<>();
                private boolean shuttingDown;
                private boolean aborted;

                {
                    delegate.addSystemEventTrigger(Phase.BEFORE, SHUTDOWN, () -> {
                        shuttingDown = true;
                        return null;
                    });
                }

                @Override
                public void addReader(ReadDescriptor reader) {
                    delegate.addReader(proxies.computeIfAbsent(reader, r -> new ForwardingReader(r) {
                        @Override
                        public void connectionLost(Failure reason) {
                            if (aborted) {
                                return;
                            }
                            try {
                                inner.connectionLost(reason);
                            } catch (RuntimeException e) {
                                aborted = shuttingDown;
                                throw e;
                            }
                        }
                    }));
                }

                @Override
                public void removeReader(ReadDescriptor reader) {
                    ReadDescriptor proxy = proxies.remove(reader);
                    delegate.removeReader(proxy != null ? proxy : reader);
                }
            });
        }
    }

    /** removeReader takes effect only after the current pass: a reader removed by another is still called. */
    @CaughtBy(value = "DESC-11", reason = "a reader removed by another reader's doRead was still called")
    public static final class ReaderRemovalDeferredToTheNextPass extends BrokenProvider {
        public ReaderRemovalDeferredToTheNextPass() {
            super("broken-reader-removal-deferred-to-the-next-pass", () -> new ForwardingReactor() {
                @Override
                public void removeReader(ReadDescriptor reader) {
                    delegate.callLater(Duration.ZERO, () -> delegate.removeReader(reader));
                }
            });
        }
    }
}
