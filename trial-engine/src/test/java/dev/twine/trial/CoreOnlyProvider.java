package dev.twine.trial;

import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.SystemEventTrigger;
import dev.twine.reactor.TriggerHandle;
import dev.twine.reactor.nio.NioReactor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A provider of reactors with only the required capabilities (an NioReactor behind the Reactor interface). */
public final class CoreOnlyProvider implements ReactorProvider {
    @Override
    public String name() {
        return "core-only";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CORE, Capability.TIME, Capability.THREADS, Capability.TCP);
    }

    @Override
    public Reactor createReactor() {
        return new CoreOnly(new NioReactor());
    }

    private record CoreOnly(NioReactor inner) implements Reactor {
        @Override
        public void run() {
            inner.run();
        }

        @Override
        public void stop() {
            inner.stop();
        }

        @Override
        public void crash() {
            inner.crash();
        }

        @Override
        public void iterate(Duration maxWait) {
            inner.iterate(maxWait);
        }

        @Override
        public boolean isRunning() {
            return inner.isRunning();
        }

        @Override
        public void callWhenRunning(Runnable callable) {
            inner.callWhenRunning(callable);
        }

        @Override
        public TriggerHandle addSystemEventTrigger(Phase phase, String eventType, SystemEventTrigger trigger) {
            return inner.addSystemEventTrigger(phase, eventType, trigger);
        }

        @Override
        public void removeSystemEventTrigger(TriggerHandle handle) {
            inner.removeSystemEventTrigger(handle);
        }

        @Override
        public void fireSystemEvent(String eventType) {
            inner.fireSystemEvent(eventType);
        }

        @Override
        public DelayedCall callLater(Duration delay, Runnable callable) {
            return inner.callLater(delay, callable);
        }

        @Override
        public double seconds() {
            return inner.seconds();
        }

        @Override
        public List<DelayedCall> getDelayedCalls() {
            return inner.getDelayedCalls();
        }

        @Override
        public void callFromThread(Runnable callable) {
            inner.callFromThread(callable);
        }

        @Override
        public void callInThread(Runnable callable) {
            inner.callInThread(callable);
        }

        @Override
        public void suggestThreadPoolSize(int size) {
            inner.suggestThreadPoolSize(size);
        }

        @Override
        public boolean isInIOThread() {
            return inner.isInIOThread();
        }

        @Override
        public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
            return inner.listenTCP(port, factory, backlog, iface);
        }

        @Override
        public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout, InetSocketAddress bindAddress) {
            return inner.connectTCP(host, port, factory, timeout, bindAddress);
        }
    }
}
