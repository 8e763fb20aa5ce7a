package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Echo;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingServerFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Faults in protocol code and from peers: the reactor contains each to its connection and goes on. */
public class TcpFaultRules extends RuleSet {

    @Rule(id = "TCP-49", capability = Capability.TCP, value = "a protocol that throws in dataReceived loses its own "
            + "connection with that exception as the reason; the error is logged, and other connections go on")
    @TrialTest
    void aThrowingProtocolLosesOnlyItsConnection(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Echo() {
            @Override
            public void dataReceived(byte[] data) {
                if (new String(data, java.nio.charset.StandardCharsets.UTF_8).startsWith("boom")) {
                    throw new IllegalStateException("the protocol failed on purpose");
                }
                super.dataReceived(data);
            }
        });
        List<ClientRecord> clients = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient calm = FakeClient.to(Net.LOOPBACK, Net.port(port)).send("first half, ").awaitReceived(12)
                    .pause(java.time.Duration.ofMillis(50)).send("second half").awaitReceived(23).close().start();
            FakeClient boom = FakeClient.to(Net.LOOPBACK, Net.port(port)).pause(java.time.Duration.ofMillis(10))
                    .send("boom").start();
            return DeferredList.gatherResults(List.of(Poll.finished(reactor, calm), Poll.finished(reactor, boom)));
        });
        assertThat(clients.get(0).receivedText()).as("the other connection").isEqualTo("first half, second half");
        assertThat(clients.get(1).bytesReceived()).isZero();
        Recorder failed = factory.protocols.stream().filter(p -> p.lostReason instanceof IllegalStateException)
                .findFirst().orElseThrow(() -> new AssertionError("no connection was lost with the protocol's exception: "
                        + factory.protocols.stream().map(p -> String.valueOf(p.lostReason)).toList()));
        assertThat(failed.lostCalls).isEqualTo(1);
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }

    @Rule(id = "TCP-50", capability = Capability.TCP, value = "a protocol that throws in connectionMade loses that "
            + "connection; the error is logged, and the port goes on serving")
    @TrialTest
    void aThrowingConnectionMadeLosesTheConnection(TrialContext test) {
        int[] made = {0};
        List<ClientRecord> clients = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    if (made[0]++ == 0) {
                        throw new IllegalStateException("connectionMade failed on purpose");
                    }
                    transport().write(dev.twine.conformance.harness.Bytes.utf8("served"));
                    transport().loseConnection();
                }
            }));
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start()).addDeferredCallback(first ->
                    Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start())
                            .addCallback(second -> List.of(first, second)));
        });
        assertThat(clients.get(0).bytesReceived()).isZero();
        assertThat(clients.get(1).receivedText()).isEqualTo("served");
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }

    @Rule(id = "TCP-51", capability = Capability.TCP, value = "a factory whose buildProtocol throws has that connection "
            + "closed; the error is logged, and the port goes on serving")
    @TrialTest
    void aThrowingFactoryLosesTheConnection(TrialContext test) {
        int[] built = {0};
        List<ClientRecord> clients = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, address -> {
                if (built[0]++ == 0) {
                    throw new IllegalStateException("buildProtocol failed on purpose");
                }
                return new Protocol() {
                    @Override
                    public void connectionMade() {
                        transport().write(dev.twine.conformance.harness.Bytes.utf8("served"));
                        transport().loseConnection();
                    }
                };
            });
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start()).addDeferredCallback(first ->
                    Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start())
                            .addCallback(second -> List.of(first, second)));
        });
        assertThat(clients.get(0).bytesReceived()).isZero();
        assertThat(clients.get(1).receivedText()).isEqualTo("served");
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }

    @Rule(id = "TCP-52", capability = Capability.TCP, value = "200 connections opened and closed leave no file "
            + "descriptor open behind them")
    @TrialTest
    void connectionsLeaveNoDescriptorsBehind(TrialContext test) {
        File fds = new File("/proc/self/fd");
        if (!fds.isDirectory()) {
            throw new SkipTest("cannot count open file descriptors on this system (no /proc/self/fd)");
        }
        int[] counts = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, ProtocolFactory.forProtocol(Echo::new));
            return round(reactor, Net.port(port), 20).addDeferredCallback(warm -> {
                int before = count(fds);
                return round(reactor, Net.port(port), 200).addDeferredCallback(done -> Poll.until(reactor,
                        () -> count(fds) <= before).addCallback(ignored -> new int[] {before, count(fds)}));
            });
        });
        assertThat(counts[1]).as("open descriptors after, against before").isLessThanOrEqualTo(counts[0]);
    }

    private static Deferred<List<ClientRecord>> round(dev.twine.reactor.Reactor reactor, int port, int clients) {
        List<Deferred<ClientRecord>> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            all.add(Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, port).send("ping").awaitReceived(4).close().start()));
        }
        return DeferredList.gatherResults(all);
    }

    private static int count(File fds) {
        String[] names = fds.list();
        return names == null ? 0 : names.length;
    }

    @Rule(id = "TCP-53", capability = Capability.TCP, value = "a client that connects and resets at once does not "
            + "disturb the server: the next client is served")
    @TrialTest
    void anImmediateResetDoesNotDisturbTheServer(TrialContext test) {
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        ClientRecord next = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).reset().start())
                    .addDeferredCallback(first -> Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                            .send("still here?").awaitReceived(11).close().start()));
        });
        assertThat(next.receivedText()).isEqualTo("still here?");
    }
}
