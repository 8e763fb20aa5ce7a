package dev.twine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Connector;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.ReactorAlreadyRunningException;
import dev.twine.reactor.ReactorNotRestartableException;
import dev.twine.reactor.ReactorNotRunningException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MemoryReactorTest {
    private final MemoryReactor reactor = new MemoryReactor();

    @Test
    void recordsListenAndConnectCalls() {
        ProtocolFactory factory = ProtocolFactory.forProtocol(() -> new Protocol() {
        });
        ListeningPort port = reactor.listenTCP(0, factory, 5, "127.0.0.1");
        assertThat(reactor.tcpServers()).singleElement().satisfies(s -> {
            assertThat(s.factory()).isSameAs(factory);
            assertThat(s.backlog()).isEqualTo(5);
            assertThat(s.iface()).isEqualTo("127.0.0.1");
        });
        assertThat(port.getHost()).hasToString("IPv4Address(type='TCP', host='127.0.0.1', port=40000)");
        assertThat(port.stopListening().isCalled()).isTrue();

        List<String> events = new ArrayList<>();
        ClientFactory client = new ClientFactory() {
            @Override
            public Protocol buildProtocol(dev.twine.reactor.Address address) {
                return null;
            }

            @Override
            public void startedConnecting(Connector connector) {
                events.add("started " + connector.getDestination());
            }

            @Override
            public void clientConnectionFailed(Connector connector, Failure reason) {
                events.add("failed " + reason.type().getSimpleName());
            }
        };
        Connector connector = reactor.connectTCP("example.org", 10000, client);
        assertThat(reactor.tcpClients()).singleElement().satisfies(c -> {
            assertThat(c.host()).isEqualTo("example.org");
            assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        });
        connector.stopConnecting();
        assertThat(events).containsExactly("started IPv4Address(type='TCP', host='example.org', port=10000)",
                "failed " + ConnectCancelledException.class.getSimpleName());
        assertThatThrownBy(connector::stopConnecting).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> reactor.listenTCP(70000, factory)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runFiresStartupAndCallWhenRunningInOrderThenStopFiresShutdown() {
        List<String> events = new ArrayList<>();
        reactor.callWhenRunning(() -> events.add("callWhenRunning"));
        reactor.addSystemEventTrigger(Phase.AFTER, "startup", () -> {
            events.add("after startup");
            return null;
        });
        reactor.addSystemEventTrigger(Phase.BEFORE, "startup", () -> {
            events.add("before startup");
            return null;
        });
        Deferred<Void> slowShutdown = new Deferred<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> slowShutdown);
        reactor.addSystemEventTrigger(Phase.DURING, "shutdown", () -> {
            events.add("during shutdown");
            return null;
        });

        reactor.run();
        assertThat(events).containsExactly("before startup", "callWhenRunning", "after startup");
        assertThat(reactor.isRunning()).isTrue();
        assertThatThrownBy(reactor::run).isInstanceOf(ReactorAlreadyRunningException.class);

        reactor.stop();
        assertThat(events).doesNotContain("during shutdown");
        assertThatThrownBy(reactor::stop).isInstanceOf(ReactorNotRunningException.class);
        slowShutdown.callback(null);
        assertThat(events).endsWith("during shutdown");
        assertThat(reactor.isRunning()).isFalse();
        assertThatThrownBy(reactor::run).isInstanceOf(ReactorNotRestartableException.class);
    }

    @Test
    void callsFromOtherThreadsWaitForIterate() throws Exception {
        List<String> events = new ArrayList<>();
        var pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> sent = pool.submit(() -> reactor.callFromThread(() -> events.add("from another thread")));
            sent.get();
        } finally {
            pool.shutdown();
        }
        assertThat(events).isEmpty();
        reactor.iterate(Duration.ZERO);
        assertThat(events).containsExactly("from another thread");
    }

    @Test
    void deferToThreadFiresAtTheNextIterate() {
        Deferred<String> d = reactor.deferToThread(() -> "worked");
        assertThat(d.isCalled()).isFalse();
        reactor.iterate(Duration.ZERO);
        String[] result = new String[1];
        d.addCallback(s -> result[0] = s);
        assertThat(result[0]).isEqualTo("worked");
        assertThat(reactor.inThreadCalls()).hasSize(1);
    }

    @Test
    void timeIsAClock() {
        List<Double> times = new ArrayList<>();
        reactor.callLater(Duration.ofSeconds(3), () -> times.add(reactor.seconds()));
        reactor.advance(Duration.ofSeconds(3));
        assertThat(times).containsExactly(3.0);
        assertThat(reactor.getDelayedCalls()).isEmpty();
    }
}
