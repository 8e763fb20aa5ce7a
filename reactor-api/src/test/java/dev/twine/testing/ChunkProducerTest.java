package dev.twine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.Protocol;
import dev.twine.testing.ChunkProducer.Writing;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkProducerTest {
    private static final int CHUNK = 16 * 1024;

    private static byte[] chunk() {
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i * 31 + (i >>> 8));
        }
        return chunk;
    }

    @ParameterizedTest
    @EnumSource(Writing.class)
    void isPausedPastTheHighWaterMarkResumedWhenDrainedAndWritesTheWholeTotalThenCloses(Writing writing) {
        MemoryReactor reactor = new MemoryReactor();
        long total = 1024 * 1024;
        ChunkProducer[] producer = new ChunkProducer[1];
        Protocol server = new Protocol() {
            @Override
            public void connectionMade() {
                producer[0] = new ChunkProducer(reactor, transport(), chunk(), total, writing);
                transport().registerProducer(producer[0], true);
                producer[0].produce();
            }
        };
        Recorder client = new Recorder();
        LoopbackPump pump = LoopbackPump.connect(server, client);
        long firstPause = producer[0].writtenAtFirstPause();
        assertThat(firstPause).as("paused within the first burst, of " + total).isPositive().isLessThan(total);
        assertThat(producer[0].firstPause.isCalled()).isTrue();
        for (int turn = 0; turn < 1000 && !client.lost.isCalled(); turn++) {
            pump.flush();
            reactor.advance(Duration.ZERO);
        }
        assertThat(producer[0].isFinished()).isTrue();
        assertThat(producer[0].written()).isEqualTo(total);
        assertThat(producer[0].events).startsWith("pause").contains("resume").doesNotContain("stop");
        assertThat(client.lostReason).isInstanceOf(ConnectionDone.class);
        byte[] received = client.received.toByteArray();
        assertThat(received).hasSize((int) total);
        for (int at = 0; at < total; at += CHUNK) {
            assertThat(Arrays.copyOfRange(received, at, at + CHUNK)).as("chunk at " + at).isEqualTo(chunk());
        }
    }

    @Test
    void writesAtMostOneBurstATurnWhenNobodyPausesIt() {
        MemoryReactor reactor = new MemoryReactor();
        StringTransport transport = new StringTransport();
        ChunkProducer producer = new ChunkProducer(reactor, transport, new byte[10], 10 * (ChunkProducer.BURST + 1),
                Writing.WRITE_LATER);
        transport.registerProducer(producer, true);
        producer.produce();
        assertThat(transport.value()).hasSize(10 * ChunkProducer.BURST);
        assertThat(producer.isFinished()).isFalse();
        reactor.advance(Duration.ZERO);
        assertThat(transport.value()).hasSize(10 * (ChunkProducer.BURST + 1));
        assertThat(producer.isFinished()).isTrue();
        assertThat(transport.isDisconnecting()).as("closed once the total was written").isTrue();
        assertThat(transport.producer()).as("unregistered once the total was written").isNull();
    }

    @Test
    void stopsForGoodWhenStoppedAndRefusesAnEmptyChunk() {
        MemoryReactor reactor = new MemoryReactor();
        StringTransport transport = new StringTransport();
        ChunkProducer producer = new ChunkProducer(reactor, transport, new byte[10], 1000, Writing.WRITE_REENTRANT);
        producer.stopProducing();
        producer.resumeProducing();
        assertThat(transport.value()).isEmpty();
        assertThat(producer.events).containsExactly("stop", "resume");
        assertThat(producer.writtenAtFirstPause()).isEqualTo(-1);
        assertThatThrownBy(() -> new ChunkProducer(reactor, transport, new byte[0], 10, Writing.WRITE_LATER))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
