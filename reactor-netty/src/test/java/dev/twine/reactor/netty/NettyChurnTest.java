package dev.twine.reactor.netty;

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
import dev.twine.reactor.ReactorUnix;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Churn: many connections (TCP, and Unix domain sockets) opened, echoed one byte and closed, 50 at a
 * time, on one running reactor, leave no descriptor (counted in /proc/self/fd), no thread and no pending delayed call behind.
 * The count is {@code -Dtwine.churn.connections} (2,000 in the build; the 10,000 of issue 17 with
 * {@code ./mvnw -pl reactor-netty -am test -Dtest=NettyChurnTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtwine.churn.connections=10000}). Every wait is for the closes themselves, never for time. The
 * same test as reactor-impl's ChurnTest (this module may not depend on that one).
 */
class NettyChurnTest {
    static final int CONNECTIONS = Integer.getInteger("twine.churn.connections", 2000);
    private static final int AT_ONCE = 50;

    /** Counts of what a reactor holds. */
    record Held(int descriptors, Set<String> threads, int delayedCalls) {
        static Held now(Reactor reactor) {
            String[] fds = new File("/proc/self/fd").list();
            Set<String> threads = new TreeSet<>();
            Thread.getAllStackTraces().keySet().forEach(t -> threads.add(t.getName() + "#" + t.getId()));
            return new Held(fds == null ? -1 : fds.length, threads, reactor.getDelayedCalls().size());
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

    /** Opens {@code count} connections with {@code connect}, {@code AT_ONCE} at a time; fires once every one is closed on both sides. */
    static Deferred<Void> churn(Consumer<ClientFactory> connect, List<Server> servers, int count) {
        if (count <= 0) {
            return Deferred.succeed(null);
        }
        int batch = Math.min(AT_ONCE, count);
        List<Deferred<Void>> closed = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            Client client = new Client();
            connect.accept(address -> client);
            closed.add(client.lost);
        }
        return DeferredList.gatherResults(closed).addDeferredCallback(ignored -> {
            List<Deferred<Void>> serverSides = new ArrayList<>();
            servers.forEach(server -> serverSides.add(server.lost));
            servers.clear();
            return DeferredList.gatherResults(serverSides);
        }).addDeferredCallback(ignored -> churn(connect, servers, count - batch));
    }

    /** A factory whose protocols are listed in {@code servers}. */
    private static ProtocolFactory listed(List<Server> servers) {
        return ProtocolFactory.forProtocol(() -> {
            Server server = new Server();
            servers.add(server);
            return server;
        });
    }

    @TrialTest
    Deferred<Void> connectionsOpenedAndClosedLeaveNoDescriptorThreadOrTimer(Reactor reactor) {
        List<Server> servers = new ArrayList<>();
        ListeningPort listening = reactor.listenTCP(0, listed(servers), 200, "127.0.0.1");
        int port = ((IPv4Address) listening.getHost()).port();
        return leavesNothing(reactor, "TCP", listening, servers, client -> reactor.connectTCP("127.0.0.1", port, client));
    }

    /** The same over Unix domain sockets: the reactor's own channels (UnixChannels); the socket file goes with the port. */
    @TrialTest
    Deferred<Void> unixConnectionsOpenedAndClosedLeaveNoDescriptorThreadOrTimer(Reactor reactor, TrialContext test)
            throws IOException {
        Path directory = Files.createTempDirectory("twine-churn");
        test.addCleanup(() -> {
            try {
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Path socket = directory.resolve("churn.sock");
        List<Server> servers = new ArrayList<>();
        ReactorUnix unix = (ReactorUnix) reactor;
        ListeningPort listening = unix.listenUNIX(socket, listed(servers), 200);
        return leavesNothing(reactor, "Unix", listening, servers, client -> unix.connectUNIX(socket, client, null))
                .addCallback(ignored -> {
                    assertThat(socket).as("the socket file once its port has stopped listening").doesNotExist();
                    return null;
                });
    }

    /** Churns through {@code listening}; counts what the reactor holds after a warm-up and after the churn. */
    private static Deferred<Void> leavesNothing(Reactor reactor, String kind, ListeningPort listening, List<Server> servers,
            Consumer<ClientFactory> connect) {
        Held[] counts = new Held[2];
        // The first connections load classes and start what Netty and the JDK keep for the process.
        return churn(connect, servers, 200).addCallback(ignored -> {
            counts[0] = Held.now(reactor);
            return null;
        }).addDeferredCallback(ignored -> churn(connect, servers, CONNECTIONS)).addCallback(ignored -> {
            counts[1] = Held.now(reactor);
            return null;
        }).addDeferredCallback(ignored -> listening.stopListening()).addCallback(ignored -> {
            Held before = counts[0];
            Held after = counts[1];
            System.out.printf("churn (netty, %s): %d connections; descriptors %d -> %d, threads %d -> %d, delayed calls %d -> %d%n",
                    kind, CONNECTIONS, before.descriptors(), after.descriptors(), before.threads().size(), after.threads().size(),
                    before.delayedCalls(), after.delayedCalls());
            if (before.descriptors() >= 0) { // /proc/self/fd: Linux
                assertThat(after.descriptors()).as("open descriptors").isLessThanOrEqualTo(before.descriptors());
            }
            assertThat(after.delayedCalls()).as("pending delayed calls").isEqualTo(before.delayedCalls());
            Set<String> newThreads = new TreeSet<>(after.threads());
            newThreads.removeAll(before.threads());
            assertThat(newThreads).as("threads started by the churn").isEmpty();
            return null;
        });
    }
}
