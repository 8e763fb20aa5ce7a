package dev.twine.reactor.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Churn: many connections opened, echoed one byte and closed, 50 at a time, on one running reactor,
 * leave no descriptor (counted in /proc/self/fd), no thread and no pending delayed call behind.
 * The count is {@code -Dtwine.churn.connections} (2,000 in the build; the 10,000 of issue 17 with
 * {@code ./mvnw -pl reactor-impl -am test -Dtest=ChurnTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtwine.churn.connections=10000}). Every wait is for the closes themselves, never for time.
 */
class ChurnTest {
    static final int CONNECTIONS = Integer.getInteger("twine.churn.connections", 2000);
    private static final int AT_ONCE = 50;

    /** Counts of what a reactor holds; {@code listed}: the connections in its open list, which shutdown closes. */
    record Held(int descriptors, Set<String> threads, int delayedCalls, int listed) {
        static Held now(Reactor reactor) {
            String[] fds = new File("/proc/self/fd").list();
            Set<String> threads = new TreeSet<>();
            Thread.getAllStackTraces().keySet().forEach(t -> threads.add(t.getName() + "#" + t.getId()));
            return new Held(fds == null ? -1 : fds.length, threads, reactor.getDelayedCalls().size(),
                    ((NioReactor) reactor).connections.snapshot().size());
        }
    }

    /** Writes a byte, closes once it comes back; {@code lost} fires when the connection is gone. */
    static final class Client extends Protocol {
        final Deferred<Void> lost = new Deferred<>();

        @Override
        public void connectionMade() {
            transport().write(new byte[] {'x'});
        }

        @Override
        public void dataReceived(byte[] data) {
            transport().loseConnection();
        }

        @Override
        public void connectionLost(Failure reason) {
            lost.callback(null);
        }
    }

    /** Echoes; {@code lost} fires when the connection is gone. */
    static final class Server extends Protocol {
        final Deferred<Void> lost = new Deferred<>();

        @Override
        public void dataReceived(byte[] data) {
            transport().write(data);
        }

        @Override
        public void connectionLost(Failure reason) {
            lost.callback(null);
        }
    }

    /** Opens {@code count} connections, {@code AT_ONCE} at a time; fires once every one is closed on both sides. */
    static Deferred<Void> churn(Reactor reactor, int port, List<Server> servers, int count) {
        if (count <= 0) {
            return Deferred.succeed(null);
        }
        int batch = Math.min(AT_ONCE, count);
        List<Deferred<Void>> closed = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            Client client = new Client();
            reactor.connectTCP("127.0.0.1", port, (ClientFactory) address -> client);
            closed.add(client.lost);
        }
        return DeferredList.gatherResults(closed).addDeferredCallback(ignored -> {
            List<Deferred<Void>> serverSides = new ArrayList<>();
            servers.forEach(server -> serverSides.add(server.lost));
            servers.clear();
            return DeferredList.gatherResults(serverSides);
        }).addDeferredCallback(ignored -> churn(reactor, port, servers, count - batch));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void connectionsOpenedAndClosedLeaveNoDescriptorThreadOrTimer() {
        Held[] counts = new Held[2];
        new Harness().run(reactor -> {
            List<Server> servers = new ArrayList<>();
            ListeningPort listening = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> {
                Server server = new Server();
                servers.add(server);
                return server;
            }), 200, "127.0.0.1");
            int port = ((IPv4Address) listening.getHost()).port();
            // The first connections load classes and start what the JDK keeps for the process.
            return churn(reactor, port, servers, 200).addCallback(ignored -> {
                counts[0] = Held.now(reactor);
                return null;
            }).addDeferredCallback(ignored -> churn(reactor, port, servers, CONNECTIONS)).addCallback(ignored -> {
                counts[1] = Held.now(reactor);
                return null;
            }).addDeferredCallback(ignored -> listening.stopListening());
        });
        Held before = counts[0];
        Held after = counts[1];
        System.out.printf("churn (nio): %d connections; descriptors %d -> %d, threads %d -> %d, delayed calls %d -> %d%n",
                CONNECTIONS, before.descriptors(), after.descriptors(), before.threads().size(), after.threads().size(),
                before.delayedCalls(), after.delayedCalls());
        assertThat(after.descriptors()).as("open descriptors").isLessThanOrEqualTo(before.descriptors());
        assertThat(after.delayedCalls()).as("pending delayed calls").isEqualTo(before.delayedCalls());
        // Closed in every order, 50 at a time: a connection not unlinked from the middle of the list stays.
        assertThat(after.listed()).as("connections still in the reactor's open list").isZero();
        Set<String> newThreads = new TreeSet<>(after.threads());
        newThreads.removeAll(before.threads());
        assertThat(newThreads).as("threads started by the churn").isEmpty();
    }
}
