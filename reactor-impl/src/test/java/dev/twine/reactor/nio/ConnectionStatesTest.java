package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static dev.twine.reactor.nio.TcpTest.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.testing.HalfCloseRecorder;
import dev.twine.testing.RecordingClientFactory;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The rarer paths through a connection's states ({@link StreamStates}), each taken for real: a
 * transition the tables refuse would surface as an error the reactor logs and a wrong reason.
 */
class ConnectionStatesTest {
    private final Harness harness = new Harness();

    /** A server that keeps its side open after a half-close, until the test closes it. */
    private static ListeningPort listen(NioReactor reactor, Deferred<HalfCloseRecorder> server) {
        return listen(reactor, server, HalfCloseRecorder::new);
    }

    private static ListeningPort listen(NioReactor reactor, Deferred<HalfCloseRecorder> server,
            Supplier<HalfCloseRecorder> protocols) {
        return reactor.listenTCP(0, address -> {
            HalfCloseRecorder protocol = protocols.get();
            server.callback(protocol);
            return protocol;
        }, 50, "127.0.0.1");
    }

    /** Closes its side once the peer's has ended. */
    static final class ClosesWhenInputEnds extends HalfCloseRecorder {
        @Override
        public void readConnectionLost() {
            super.readConnectionLost();
            transport().loseConnection();
        }
    }

    @Test
    void abortAfterTheOutputIsShutAbortsTheConnection() {
        // output OPEN -> CLOSE_REQUESTED -> SHUT -> BROKEN
        RecordingClientFactory<HalfCloseRecorder> client = new RecordingClientFactory<>(HalfCloseRecorder::new);
        Deferred<HalfCloseRecorder> server = new Deferred<>();
        HalfCloseRecorder protocol = harness.run(reactor -> inlineCallbacks(() -> {
            reactor.connectTCP("127.0.0.1", port(listen(reactor, server)), client);
            HalfCloseRecorder c = await(client.built);
            await(c.connected);
            ((TcpTransport) c.transport()).loseWriteConnection();
            await(c.writeLost);
            c.transport().abortConnection();
            await(c.lost);
            // The server read the end of the stream and reads no more: it learns of the reset only by closing.
            HalfCloseRecorder s = await(server);
            s.transport().loseConnection();
            await(s.lost);
            return c;
        }));
        assertThat(protocol.events).containsExactly("connectionMade", "writeConnectionLost", "connectionLost:ConnectionAborted");
        assertThat(harness.logged).isEmpty();
    }

    @Test
    void abortWhileAHalfCloseWaitsToBeSentAbortsWithoutShuttingTheOutput() {
        // output OPEN -> CLOSE_REQUESTED -> BROKEN
        RecordingClientFactory<HalfCloseRecorder> client = new RecordingClientFactory<>(HalfCloseRecorder::new);
        Deferred<HalfCloseRecorder> server = new Deferred<>();
        HalfCloseRecorder protocol = harness.run(reactor -> inlineCallbacks(() -> {
            reactor.connectTCP("127.0.0.1", port(listen(reactor, server)), client);
            HalfCloseRecorder c = await(client.built);
            await(c.connected);
            c.send("never mind");
            ((TcpTransport) c.transport()).loseWriteConnection();
            c.transport().abortConnection();
            assertThat(await(c.lost)).isInstanceOf(ConnectionAborted.class);
            await(await(server).lost);
            return c;
        }));
        assertThat(protocol.events).containsExactly("connectionMade", "connectionLost:ConnectionAborted");
        assertThat(harness.logged).isEmpty();
    }

    @Test
    void pauseAndResumeAfterTheEndOfInputLeaveItEnded() {
        // input OPEN -> SHUT; pauseProducing and resumeProducing then change nothing
        RecordingClientFactory<HalfCloseRecorder> client = new RecordingClientFactory<>(HalfCloseRecorder::new);
        Deferred<HalfCloseRecorder> server = new Deferred<>();
        List<HalfCloseRecorder> both = harness.run(reactor -> inlineCallbacks(() -> {
            reactor.connectTCP("127.0.0.1", port(listen(reactor, server)), client);
            HalfCloseRecorder c = await(client.built);
            await(c.connected);
            HalfCloseRecorder s = await(server);
            await(s.connected);
            ((TcpTransport) c.transport()).loseWriteConnection();
            await(s.readLost);
            s.transport().pauseProducing();
            s.transport().resumeProducing();
            s.send("bye");
            s.transport().loseConnection();
            assertThat(await(c.lost)).isInstanceOf(ConnectionDone.class);
            assertThat(await(s.lost)).isInstanceOf(ConnectionDone.class);
            return List.of(c, s);
        }));
        assertThat(both.get(0).text()).isEqualTo("bye");
        assertThat(both.get(1).events).containsExactly("connectionMade", "readConnectionLost", "connectionLost:ConnectionDone");
        assertThat(harness.logged).isEmpty();
    }

    @Test
    void theEndOfStreamReadWhilePausedByAReaderAddedFromOutsideEndsTheInput() {
        // input OPEN -> PAUSED -> SHUT: addReader on a paused transport makes the reactor read it anyway
        RecordingClientFactory<HalfCloseRecorder> client = new RecordingClientFactory<>(HalfCloseRecorder::new);
        Deferred<HalfCloseRecorder> server = new Deferred<>();
        HalfCloseRecorder protocol = harness.run(reactor -> inlineCallbacks(() -> {
            reactor.connectTCP("127.0.0.1", port(listen(reactor, server, ClosesWhenInputEnds::new)), client);
            HalfCloseRecorder c = await(client.built);
            await(c.connected);
            HalfCloseRecorder s = await(server);
            await(s.connected);
            s.transport().pauseProducing();
            reactor.addReader((ReadDescriptor) s.transport());
            ((TcpTransport) c.transport()).loseWriteConnection();
            assertThat(await(s.lost)).isInstanceOf(ConnectionDone.class);
            await(c.lost);
            return s;
        }));
        assertThat(protocol.events).containsExactly("connectionMade", "readConnectionLost", "connectionLost:ConnectionDone");
        assertThat(harness.logged).isEmpty();
    }
}
