package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Conformance;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.ErrorLog;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Echo;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/** Faults in protocol code and from peers: the reactor contains each to its connection and goes on. */
@API(status = INTERNAL, since = "0.1")
public class TcpFaultRules extends RuleSet {

    @Rule(id = "TCP-49", capability = Capability.TCP, value = "a protocol that throws in dataReceived loses its own "
            + "connection with that exception as the reason; the error is logged, and other connections go on")
    @TrialTest
    Deferred<Void> aThrowingProtocolLosesOnlyItsConnection(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Echo() {
            @Override
            public void dataReceived(byte[] data) {
                if (new String(data, java.nio.charset.StandardCharsets.UTF_8).startsWith("boom")) {
                    throw new IllegalStateException("the protocol failed on purpose");
                }
                super.dataReceived(data);
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient calm = FakeClient.to(Net.LOOPBACK, Net.port(port)).send("first half, ").awaitReceived(12)
                    .pause(java.time.Duration.ofMillis(50)).send("second half").awaitReceived(23).close().start();
            FakeClient boom = FakeClient.to(Net.LOOPBACK, Net.port(port)).pause(java.time.Duration.ofMillis(10))
                    .send("boom").start();
            return DeferredList.gatherResults(List.of(Poll.future(reactor, calm.finished()), Poll.future(reactor, boom.finished())));
        }).addVoidCallback(clients -> {
            assertThat(clients.get(0).receivedText()).as("the other connection").isEqualTo("first half, second half");
            assertThat(clients.get(1).bytesReceived()).as("bytes the failing connection sent back").isZero();
            Recorder failed = factory.protocols.stream().filter(p -> p.lostReason instanceof IllegalStateException)
                    .findFirst().orElseThrow(() -> new AssertionError("no connection was lost with the protocol's "
                            + "exception: " + factory.protocols.stream().map(p -> String.valueOf(p.lostReason)).toList()));
            assertThat(failed.lostCalls).as("connectionLost calls of the failing connection").isEqualTo(1);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "TCP-104", capability = Capability.TCP, value = "the log line of an error a protocol throws names the "
            + "protocol's class, and on a server's connection the peer's host: the log says which client it came from")
    @TrialTest
    Deferred<Void> errorLinesNameTheProtocolAndThePeer(TrialContext test) {
        final class Thrown extends RuntimeException {
            Thrown(String side) {
                super(side);
            }
        }
        final class GreetingServer extends Protocol {
            @Override
            public void connectionMade() {
                transport().write(Bytes.utf8("hello"));
            }

            @Override
            public void dataReceived(byte[] data) {
                throw new Thrown("server");
            }
        }
        final class FailingClient extends Recorder {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                throw new Thrown("client");
            }
        }
        Map<String, String> lines = new java.util.concurrent.ConcurrentHashMap<>();
        RecordingClientFactory<FailingClient> client = new RecordingClientFactory<>(FailingClient::new);
        return Rut.start(test, reactor -> {
            ErrorLog outer = ErrorLog.current();
            ErrorLog.Binding capture = ErrorLog.bind((failure, why) -> {
                if (failure.value() instanceof Thrown thrown) {
                    lines.put(thrown.getMessage(), String.valueOf(why));
                }
                outer.err(failure, why);
            });
            ListeningPort port = TcpServerRules.listen(reactor, ProtocolFactory.forProtocol(GreetingServer::new));
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
            FakeClient peer = FakeClient.to(Net.LOOPBACK, Net.port(port)).send("x").start();
            return client.built.addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(lost -> Poll.future(reactor, peer.finished()))
                    .addBoth((finished, failure) -> {
                        capture.close();
                        if (failure != null) {
                            throw failure.raiseException();
                        }
                        return finished;
                    });
        }).addVoidCallback(finished -> {
            assertThat(test.flushLoggedErrors(Thrown.class)).as("errors logged").hasSize(2);
            assertThat(lines).as("the log line of each error, by the side that threw").containsOnlyKeys("server", "client");
            assertThat(lines.get("server")).as("the line of the server's error").contains(GreetingServer.class.getSimpleName())
                    .contains("127.0.0.1");
            assertThat(lines.get("client")).as("the line of the client's error").contains(FailingClient.class.getSimpleName());
        });
    }

    @Rule(id = "TCP-50", capability = Capability.TCP, value = "a protocol that throws in connectionMade loses that "
            + "connection; the error is logged, and the port goes on serving")
    @TrialTest
    Deferred<Void> aThrowingConnectionMadeLosesTheConnection(TrialContext test) {
        int[] made = {0};
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    if (made[0]++ == 0) {
                        throw new IllegalStateException("connectionMade failed on purpose");
                    }
                    transport().write(Bytes.utf8("served"));
                    transport().loseConnection();
                }
            }));
            return oneClientThenAnother(reactor, port);
        }).addVoidCallback(clients -> {
            assertFirstLostSecondServed(test, clients);
        });
    }

    @Rule(id = "TCP-51", capability = Capability.TCP, value = "a factory whose buildProtocol throws has that connection "
            + "closed; the error is logged, and the port goes on serving")
    @TrialTest
    Deferred<Void> aThrowingFactoryLosesTheConnection(TrialContext test) {
        int[] built = {0};
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, address -> {
                if (built[0]++ == 0) {
                    throw new IllegalStateException("buildProtocol failed on purpose");
                }
                return new Protocol() {
                    @Override
                    public void connectionMade() {
                        transport().write(Bytes.utf8("served"));
                        transport().loseConnection();
                    }
                };
            });
            return oneClientThenAnother(reactor, port);
        }).addVoidCallback(clients -> {
            assertFirstLostSecondServed(test, clients);
        });
    }

    /** Two fake clients, the second once the first has finished. */
    private static Deferred<List<ClientRecord>> oneClientThenAnother(Reactor reactor, ListeningPort port) {
        return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start().finished()).addDeferredCallback(first ->
                Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start().finished())
                        .addCallback(second -> List.of(first, second)));
    }

    /** The first client's connection was closed with nothing sent and its error logged; the second was served. */
    private static void assertFirstLostSecondServed(TrialContext test, List<ClientRecord> clients) {
        assertThat(clients.get(0).bytesReceived()).as("bytes the failed connection sent").isZero();
        assertThat(clients.get(1).receivedText()).as("what the next client was served").isEqualTo("served");
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }

    @Rule(id = "TCP-52", capability = Capability.TCP, value = "100 connections opened and closed leave no file "
            + "descriptor open behind them")
    @TrialTest
    Deferred<Void> connectionsLeaveNoDescriptorsBehind(TrialContext test) {
        if (!Files.isDirectory(FDS)) {
            throw new SkipTest(NOT_CHECKABLE + "no /proc/self/fd to count this process's open file descriptors");
        }
        if (!Files.isReadable(Path.of("/proc/self/net/tcp"))) {
            throw new SkipTest(NOT_CHECKABLE + "no /proc/self/net/tcp to find the sockets accepted on the rule's port");
        }
        // The rule's own wait for the sockets to close, a quarter of the rule's limit, so that a
        // reactor that leaks fails for that reason rather than by running out of time.
        Duration wait = Conformance.ruleLimit(test).dividedBy(4);
        return Rut.start(test, reactor -> {
            // A backlog for every connection of a round at once, so that none waits for a SYN to be retried.
            ListeningPort listening = reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new), 256, Net.LOOPBACK);
            int port = Net.port(listening);
            return round(reactor, port, 10).addDeferredCallback(warm -> {
                int before = Descriptors.scan().size();
                long started = Rut.started();
                boolean aloneBefore = Rut.running() == 1;
                Supplier<Descriptors> now = () -> {
                    List<String> fds = Descriptors.scan();
                    return new Descriptors(before, fds.size(), aloneBefore && Rut.running() == 1 && Rut.started() == started,
                            acceptedSocketsStillOpen(port, fds));
                };
                return round(reactor, port, 100).addDeferredCallback(done -> Poll.until(reactor, () -> now.get().clean())
                        .addTimeout(wait, reactor)
                        .addBoth((ignored, failure) -> now.get()));
            });
        }).addVoidCallback(seen -> {
            assertThat(seen.accepted()).as("%d sockets still open in this process for connections accepted on the rule's "
                    + "port, %d ms after their clients closed", seen.accepted().size(), wait.toMillis()).isEmpty();
            if (seen.alone()) {
                assertThat(seen.after()).as("open descriptors in the process after, against before")
                        .isLessThanOrEqualTo(seen.before());
            } else {
                test.publishEntry("twine.conformance.TCP-52", "other rules ran meanwhile: checked the rule's own sockets, "
                        + "not the process's descriptor count");
            }
        });
    }

    /** How a rule that cannot check its behaviour here says so, for the report's verdict. */
    static final String NOT_CHECKABLE = "not checkable on this platform: ";

    private static final Path FDS = Path.of("/proc/self/fd");

    /** The states /proc/net/tcp writes in hex (include/net/tcp_states.h). */
    private static final Map<String, String> TCP_STATES = Map.ofEntries(
            Map.entry("01", "ESTABLISHED"), Map.entry("02", "SYN_SENT"),
            Map.entry("03", "SYN_RECV"), Map.entry("04", "FIN_WAIT1"),
            Map.entry("05", "FIN_WAIT2"), Map.entry("06", "TIME_WAIT"),
            Map.entry("07", "CLOSE"), Map.entry("08", "CLOSE_WAIT"),
            Map.entry("09", "LAST_ACK"), Map.entry("0B", "CLOSING"));

    /**
     * Descriptors counted before and after, whether no other rule's reactor ran in between (so
     * the counts are this rule's alone), and the accepted sockets still open.
     */
    private record Descriptors(int before, int after, boolean alone, List<String> accepted) {
        boolean clean() {
            return accepted.isEmpty() && (!alone || after <= before);
        }

        /** What each open descriptor of this process is ({@code socket:[inode]}, a path, …). */
        static List<String> scan() {
            List<String> targets = new ArrayList<>();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
                for (Path fd : fds) {
                    try {
                        targets.add(Files.readSymbolicLink(fd).toString());
                    } catch (IOException gone) {
                        // closed while we looked (the stream's own descriptor among them)
                    }
                }
            } catch (IOException e) {
                return List.of();
            }
            return targets;
        }
    }

    /**
     * {@code clients} connections from one peer thread (plain sockets, so that a round costs no
     * thread per client): all connect, each sends "ping" and reads its echo, then all close.
     * Fires once every one has closed.
     */
    private static Deferred<Integer> round(Reactor reactor, int port, int clients) {
        return Poll.future(reactor, Peer.run("descriptor-round", () -> {
            List<java.net.Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    java.net.Socket socket = new java.net.Socket(Net.LOOPBACK, port);
                    socket.setSoTimeout(20_000);
                    sockets.add(socket);
                }
                for (java.net.Socket socket : sockets) {
                    socket.getOutputStream().write(Bytes.utf8("ping"));
                }
                for (java.net.Socket socket : sockets) {
                    byte[] echo = socket.getInputStream().readNBytes(4);
                    if (echo.length != 4) {
                        throw new AssertionError("a connection was closed before its echo: " + echo.length + " bytes");
                    }
                }
            } finally {
                for (java.net.Socket socket : sockets) {
                    socket.close();
                }
            }
            return clients;
        }));
    }

    /**
     * The TCP sockets this process holds whose local port is {@code port} and that are not
     * listening: the server side of connections accepted there. Linux's /proc/net/tcp{,6} list
     * every socket of the network namespace with its inode; {@code descriptors} (from
     * /proc/self/fd) shows which are ours.
     * Empty where /proc/self/net is missing.
     */
    private static List<String> acceptedSocketsStillOpen(int port, List<String> descriptors) {
        Set<String> ours = new HashSet<>();
        for (String target : descriptors) {
            if (target.startsWith("socket:[")) {
                ours.add(target.substring("socket:[".length(), target.length() - 1));
            }
        }
        List<String> open = new ArrayList<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                String local = f[1];
                int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                String state = f[3];
                String inode = f[9];
                if (localPort == port && !"0A".equals(state) && ours.contains(inode)) {
                    open.add("socket:[" + inode + "] " + TCP_STATES.getOrDefault(state, "state " + state));
                }
            }
        }
        return open;
    }

    @Rule(id = "TCP-53", capability = Capability.TCP, value = "a client that connects and resets at once does not "
            + "disturb the server: the next client is served")
    @TrialTest
    Deferred<Void> anImmediateResetDoesNotDisturbTheServer(TrialContext test) {
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).reset().start().finished())
                    .addDeferredCallback(first -> Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                            .send("still here?").awaitReceived(11).close().start().finished()));
        }).addVoidCallback(next -> {
            assertThat(next.receivedText()).as("what the next client had echoed").isEqualTo("still here?");
        });
    }
}
