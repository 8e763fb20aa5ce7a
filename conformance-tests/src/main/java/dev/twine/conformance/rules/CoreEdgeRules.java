package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingServerFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The core at the edges the first rules leave open: iterate's wait, shutdown meeting a throwing
 * protocol or a port that is closing. Found by mutation testing of the built-in reactor
 * (./twine mutation).
 */
public class CoreEdgeRules extends RuleSet {

    @Rule(id = "CORE-40", capability = Capability.CORE, value = "iterate(maxWait) with a delayed call due before maxWait "
            + "waits until it is due, also when maxWait is beyond what Duration.toNanos() can hold, so that the next "
            + "iterate(0) runs it")
    @TrialTest
    void iterateWaitsForTheNextDueCall(TrialContext test) {
        Reactor reactor = Rut.build(test);
        try {
            List<String> ran = new ArrayList<>();
            List<Duration> maxWaits = List.of(Duration.ofSeconds(30), Duration.ofSeconds(Long.MAX_VALUE));
            for (Duration maxWait : maxWaits) {
                reactor.callLater(Duration.ofMillis(20), () -> ran.add("due after iterate(" + maxWait + ")"));
                reactor.iterate(maxWait);
                reactor.iterate(Duration.ZERO);
            }
            assertThat(ran).as("delayed calls (due in 20 ms) that iterate(maxWait) then iterate(0) ran").isEqualTo(
                    maxWaits.stream().map(maxWait -> "due after iterate(" + maxWait + ")").toList());
        } finally {
            Rut.dispose(reactor);
        }
    }

    @Rule(id = "CORE-41", capability = Capability.CORE, value = "a protocol whose connectionLost throws at shutdown "
            + "is logged, and the other connections still hear connectionLost")
    @TrialTest
    Deferred<Void> aThrowingConnectionLostAtShutdown(TrialContext test) {
        IllegalStateException thrown = new IllegalStateException("connectionLost failed on purpose");
        List<String> heard = new CopyOnWriteArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionLost(Failure reason) {
                super.connectionLost(reason);
                heard.add("connectionLost");
                throw thrown;
            }
        });
        List<Socket> clients = new ArrayList<>();
        test.addCleanup(() -> clients.forEach(socket -> {
            try {
                socket.close();
            } catch (java.io.IOException ignored) {
                // the rule is over
            }
        }));
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(new Socket(Net.LOOPBACK, Net.port(port))); // the backlog takes it at once
                }
            } catch (java.io.IOException e) {
                return Deferred.fail(e);
            }
            return Poll.until(reactor, () -> factory.protocols.size() == 3
                    && factory.protocols.stream().allMatch(p -> p.connected.isCalled()));
        }).addCallback(ignored -> {
            assertThat(heard).as("connections that heard connectionLost at shutdown, each throwing").hasSize(3);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(3);
            return null;
        });
    }

    @Rule(id = "CORE-42", capability = Capability.CORE, value = "stopListening() called just before stop() still "
            + "fires its Deferred before run() returns")
    @TrialTest
    Deferred<Void> aPortClosedAtShutdownStillFires(TrialContext test) {
        List<Deferred<Void>> stopped = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, Net.LOOPBACK);
            stopped.add(port.stopListening());
            return Deferred.succeed(null); // the harness stops the reactor now
        }).addCallback(ignored -> {
            assertThat(stopped.get(0).isCalled()).as("whether stopListening()'s Deferred had fired when run() returned")
                    .isTrue();
            return null;
        });
    }
}
