package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.conformance.harness.TcpPeers;
import dev.twine.defer.Deferred;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apiguardian.api.API;

/** writeSequence on its own, as Twisted's reactor tests hold it: it sends, and it throttles a streaming producer. */
@API(status = INTERNAL, since = "0.1")
public class TcpWriteRules extends RuleSet {

    @Rule(id = "TCP-67", capability = Capability.TCP, value = "writeSequence alone, with no write before or after it, "
            + "sends its bytes")
    @TrialTest
    Deferred<Void> writeSequenceAloneSends(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().writeSequence(List.of(Bytes.utf8("Some "), Bytes.utf8("sequence "), Bytes.utf8("splitted")));
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            return Poll.future(reactor, dev.twine.conformance.harness.Peer.run("reads-22", () -> {
                try (java.net.Socket socket = new java.net.Socket(Net.LOOPBACK, Net.port(port))) {
                    return new String(TcpPeers.readExactly(socket, 22), StandardCharsets.UTF_8);
                }
            }));
        }).addVoidCallback(text -> {
            assertThat(text).as("what the peer received from a writeSequence alone").isEqualTo("Some sequence splitted");
        });
    }

    /** A streaming producer that records what it hears; resumed, it lets the connection close. */
    static final class SavesActions implements PushProducer {
        final List<String> actions = new ArrayList<>();
        Recorder protocol;

        @Override
        public void pauseProducing() {
            actions.add("pause");
        }

        @Override
        public void resumeProducing() {
            actions.add("resume");
            protocol.transport().unregisterProducer();
            protocol.transport().loseConnection();
        }

        @Override
        public void stopProducing() {
            actions.add("stop");
        }
    }

    @Rule(id = "TCP-68", capability = Capability.TCP, value = "writeSequence past the high-water mark pauses a "
            + "registered streaming producer before it returns, and the producer is resumed once the buffer drains")
    @TrialTest
    Deferred<Void> writeSequencePausesAStreamingProducer(TrialContext test) {
        int pieces = 256;
        int size = 64 * 1024;
        SavesActions producer = new SavesActions();
        List<String> afterWriteSequence = new ArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                producer.protocol = this;
                transport().registerProducer(producer, true);
                transport().writeSequence(Collections.nCopies(pieces, Bytes.pattern(size)));
                afterWriteSequence.addAll(producer.actions);
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            return Poll.future(reactor, TcpPeers.client("reads", Net.port(port), new byte[0]));
        }).addVoidCallback(seen -> {
            assertThat(afterWriteSequence).as("what the streaming producer had heard when writeSequence of %d bytes "
                    + "returned (writeSequence did not pause it)", pieces * size).containsExactly("pause");
            assertThat(producer.actions).as("what the streaming producer heard").startsWith("pause", "resume");
            assertThat(seen.bytes().length).as("bytes the peer received").isEqualTo(pieces * size);
        });
    }
}
