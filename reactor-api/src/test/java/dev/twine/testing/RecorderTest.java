package dev.twine.testing;

import static dev.twine.testing.Fired.outcome;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.AlreadyCalledException;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecorderTest {

    @Test
    void recordsTheCallbacksInOrderWithConsecutiveReadsAsOneEvent() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        client.send("one");
        pump.flush();
        server.send("back");
        pump.flush();
        client.send("two");
        pump.flush();
        client.send("three");
        pump.flush();
        client.transport().loseConnection();
        pump.flush();

        assertThat(server.events).containsExactly("connectionMade", "dataReceived", "connectionLost:ConnectionDone");
        assertThat(server.reads).isEqualTo(3);
        assertThat(server.text()).isEqualTo("onetwothree");
        assertThat(client.text()).isEqualTo("back");
        assertThat(server.lostCalls).isEqualTo(1);
        assertThat(server.lostReason).isInstanceOf(ConnectionDone.class);
        assertThat(outcome(server.lost)).isInstanceOf(ConnectionDone.class);
        assertThat(outcome(server.connected)).isSameAs(server);
        assertThat(server.threads).containsExactly(Thread.currentThread());
        assertThat(server.callbacks.count()).isEqualTo(5);
        assertThat(server.callbacks.elsewhere(Thread.currentThread())).isEmpty();
    }

    @Test
    void receivedAtLeastFiresOnlyOnceEnoughBytesHaveArrivedAndSeveralMayWait() {
        Recorder recorder = new Recorder();
        recorder.makeConnection(new StringTransport());
        Deferred<byte[]> five = recorder.receivedAtLeast(5);
        Deferred<byte[]> three = recorder.receivedAtLeast(3);
        recorder.dataReceived("ab".getBytes(UTF_8));
        assertThat(five.isCalled()).isFalse();
        assertThat(three.isCalled()).isFalse();
        recorder.dataReceived("cd".getBytes(UTF_8));
        assertThat(new String((byte[]) outcome(three), UTF_8)).isEqualTo("abcd");
        assertThat(five.isCalled()).isFalse();
        recorder.dataReceived("e".getBytes(UTF_8));
        assertThat(new String((byte[]) outcome(five), UTF_8)).isEqualTo("abcde");
        assertThat(new String((byte[]) outcome(recorder.receivedAtLeast(2)), UTF_8))
                .as("already there: fires at once").isEqualTo("abcde");
    }

    @Test
    void aLostConnectionFailsTheBytesStillAwaitedSayingHowManyCame() {
        Recorder recorder = new Recorder();
        recorder.makeConnection(new StringTransport());
        Deferred<byte[]> ten = recorder.receivedAtLeast(10);
        recorder.dataReceived("abc".getBytes(UTF_8));
        recorder.connectionLost(new Failure(new ConnectionLost()));
        assertThat((Throwable) outcome(ten)).isInstanceOf(AssertionError.class)
                .hasMessage("the connection was lost (ConnectionLost) after 3 of the 10 bytes expected");
    }

    @Test
    void aSecondConnectionLostIsCountedAndKeepsTheFirstReason() {
        Recorder recorder = new Recorder();
        recorder.makeConnection(new StringTransport());
        recorder.connectionLost(new Failure(new ConnectionAborted()));
        recorder.connectionLost(new Failure(new ConnectionDone()));
        assertThat(recorder.lostCalls).isEqualTo(2);
        assertThat(recorder.lostReason).isInstanceOf(ConnectionAborted.class);
        assertThat(outcome(recorder.lost)).isInstanceOf(ConnectionAborted.class);
        assertThat(recorder.events).containsExactly("connectionMade", "connectionLost:ConnectionAborted",
                "connectionLost:ConnectionDone");
    }

    @Test
    void aSecondConnectionMadeThrows() {
        Recorder recorder = new Recorder();
        recorder.makeConnection(new StringTransport());
        assertThatThrownBy(recorder::connectionMade).isInstanceOf(AlreadyCalledException.class);
    }

    @Test
    void bytesPastTheLimitFailTheCallbackAndTheWaitersInsteadOfGrowing() {
        Recorder recorder = new Recorder(4);
        recorder.makeConnection(new StringTransport());
        Deferred<byte[]> five = recorder.receivedAtLeast(5);
        recorder.dataReceived("abcd".getBytes(UTF_8));
        assertThatThrownBy(() -> recorder.dataReceived("e".getBytes(UTF_8)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at most 4 received bytes");
        assertThat(recorder.received.size()).isEqualTo(4);
        assertThat(outcome(five)).isInstanceOf(IllegalStateException.class);
        assertThat(new Recorder().receivedAtLeast(0).isCalled()).isTrue();
        assertThatThrownBy(() -> new Recorder(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventsPastTheLimitFailTheCallback() {
        Recorder recorder = new Recorder();
        recorder.makeConnection(new StringTransport());
        List<Throwable> thrown = new ArrayList<>();
        for (int i = 0; i < Recorder.MAX_EVENTS; i++) { // connectionMade was the first event
            try {
                recorder.connectionLost(new Failure(new ConnectionDone()));
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
        }
        assertThat(recorder.events).hasSize(Recorder.MAX_EVENTS);
        assertThat(thrown).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("at most " + Recorder.MAX_EVENTS));
    }

    @Test
    void aHalfCloseRecorderRecordsEachDirectionsEndAndFiresItsDeferreds() {
        HalfCloseRecorder server = new HalfCloseRecorder();
        HalfCloseRecorder client = new HalfCloseRecorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        client.send("last words");
        ((dev.twine.protocol.TcpTransport) client.transport()).loseWriteConnection();
        pump.flush();
        assertThat(server.readLost.isCalled()).isTrue();
        assertThat(server.writeLost.isCalled()).isFalse();
        assertThat(client.writeLost.isCalled()).isTrue();
        assertThat(server.events).containsExactly("connectionMade", "dataReceived", "readConnectionLost");
        assertThat(client.events).containsExactly("connectionMade", "writeConnectionLost");
        assertThatThrownBy(server::readConnectionLost).as("a second end of the same direction")
                .isInstanceOf(AlreadyCalledException.class);
    }

    @Test
    void echoWritesBackWhatItRecords() {
        Echo server = new Echo();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        client.send("ping");
        pump.flush();
        assertThat(server.text()).isEqualTo("ping");
        assertThat(client.text()).isEqualTo("ping");
    }
}
