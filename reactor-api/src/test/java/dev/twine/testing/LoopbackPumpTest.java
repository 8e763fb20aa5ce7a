package dev.twine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackPumpTest {

    /** Answers the peer's half-close with a goodbye, then half-closes too. */
    static final class HalfCloser extends HalfCloseRecorder {
        @Override
        public void readConnectionLost() {
            super.readConnectionLost();
            send("goodbye");
            ((dev.twine.protocol.TcpTransport) transport()).loseWriteConnection();
        }
    }

    @Test
    void bytesMoveOnlyWhenPumped() {
        Echo server = new Echo();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        assertThat(server.events).containsExactly("connectionMade");
        client.send("ping");
        assertThat(server.text()).isEmpty();
        pump.pump();
        assertThat(server.text()).isEqualTo("ping");
        assertThat(client.text()).isEmpty();
        pump.flush();
        assertThat(client.text()).isEqualTo("ping");
    }

    @Test
    void loseConnectionDeliversPendingBytesThenConnectionDoneOnBothSides() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        server.send("the whole poem");
        server.transport().loseConnection();
        server.send(" and a postscript written in the same callback");
        pump.flush();
        assertThat(client.text()).isEqualTo("the whole poem and a postscript written in the same callback");
        assertThat(client.events).containsExactly("connectionMade", "dataReceived", "connectionLost:ConnectionDone");
        assertThat(server.events).containsExactly("connectionMade", "connectionLost:ConnectionDone");
        assertThat(pump.isClosed()).isTrue();
        server.send("after the close");
        pump.flush();
        assertThat(client.text()).doesNotContain("after the close");
    }

    @Test
    void aCloseReasonReachesTheClosingSideOnly() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        server.transport().loseConnection(new IllegalStateException("bad frame"));
        pump.flush();
        assertThat(server.lostReason).hasMessage("bad frame");
        assertThat(client.lostReason).isInstanceOf(ConnectionDone.class);
    }

    @Test
    void abortDropsPendingBytes() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        server.send("never arrives");
        server.transport().abortConnection();
        pump.flush();
        assertThat(client.text()).isEmpty();
        assertThat(server.lostReason).isInstanceOf(ConnectionAborted.class);
        assertThat(client.lostReason).isExactlyInstanceOf(ConnectionLost.class);
    }

    @Test
    void halfCloseWithAHalfCloseablePeer() {
        HalfCloseRecorder server = new HalfCloseRecorder();
        HalfCloser client = new HalfCloser();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        server.send("request then half-close");
        ((dev.twine.protocol.TcpTransport) server.transport()).loseWriteConnection();
        pump.flush();
        assertThat(client.text()).isEqualTo("request then half-close");
        assertThat(client.events).containsExactly("connectionMade", "dataReceived", "readConnectionLost", "writeConnectionLost",
                "connectionLost:ConnectionDone");
        assertThat(server.text()).isEqualTo("goodbye");
        assertThat(server.events).containsExactly("connectionMade", "writeConnectionLost", "dataReceived", "readConnectionLost",
                "connectionLost:ConnectionDone");
    }

    @Test
    void halfCloseToAPeerThatCannotHalfCloseClosesEverything() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        ((dev.twine.protocol.TcpTransport) server.transport()).loseWriteConnection();
        pump.flush();
        assertThat(client.events).containsExactly("connectionMade", "connectionLost:ConnectionDone");
        assertThat(server.events).containsExactly("connectionMade", "connectionLost:ConnectionDone");
    }

    @Test
    void pausingATransportHoldsItsInput() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        server.transport().pauseProducing();
        client.send("held");
        pump.flush();
        assertThat(server.text()).isEmpty();
        server.transport().resumeProducing();
        pump.flush();
        assertThat(server.text()).isEqualTo("held");
    }

    @Test
    void aStreamingProducerIsPausedPastTheHighWaterMarkAndResumedWhenDrained() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        List<String> producerEvents = new ArrayList<>();
        PushProducer producer = new PushProducer() {
            @Override
            public void pauseProducing() {
                producerEvents.add("pause");
            }

            @Override
            public void resumeProducing() {
                producerEvents.add("resume");
            }

            @Override
            public void stopProducing() {
                producerEvents.add("stop");
            }
        };
        server.transport().registerProducer(producer, true);
        server.transport().write(new byte[LoopbackPump.HIGH_WATER_MARK]);
        assertThat(producerEvents).isEmpty();
        server.transport().write(new byte[1]);
        assertThat(producerEvents).containsExactly("pause");
        pump.flush();
        assertThat(producerEvents).containsExactly("pause", "resume");
        assertThat(client.received.size()).isEqualTo(LoopbackPump.HIGH_WATER_MARK + 1);
        assertThatThrownBy(() -> server.transport().registerProducer(producer, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPullProducerIsAskedWhenNothingIsPending() {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        int[] chunks = {0};
        server.transport().registerProducer((PullProducer) new PullProducer() {
            @Override
            public void resumeProducing() {
                if (chunks[0] == 3) {
                    server.transport().unregisterProducer();
                    server.transport().loseConnection();
                    return;
                }
                chunks[0]++;
                server.send("chunk" + chunks[0] + ";");
            }

            @Override
            public void stopProducing() {
            }
        }, false);
        pump.flush();
        assertThat(client.text()).isEqualTo("chunk1;chunk2;chunk3;");
        assertThat(client.events).containsExactly("connectionMade", "dataReceived", "connectionLost:ConnectionDone");
    }

    @Test
    void mismatchedProducerKindsAreRefused() {
        Recorder server = new Recorder();
        LoopbackPump.connect(server, new Recorder());
        PullProducer pull = new PullProducer() {
            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
            }
        };
        assertThatThrownBy(() -> server.transport().registerProducer(pull, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
