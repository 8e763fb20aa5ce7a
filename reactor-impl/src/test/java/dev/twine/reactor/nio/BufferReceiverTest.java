package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static dev.twine.reactor.nio.TcpTest.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.protocol.BufferReceiver;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Protocols that take lent buffers: bytes intact, with and without handing the buffer back. */
class BufferReceiverTest {
    private final Harness harness = new Harness();

    /** Echoes by writing the lent buffer straight back (the zero-copy hand-over). */
    static final class HandOverEcho extends Protocol implements BufferReceiver {
        @Override
        public void bufferReceived(ByteBuffer data) {
            transport().write(data);
        }

        @Override
        public void dataReceived(byte[] data) {
            bufferReceived(ByteBuffer.wrap(data));
        }
    }

    /** Echoes a copy of half of each buffer, then the other half from the lent buffer. */
    static final class SplitEcho extends Protocol implements BufferReceiver {
        @Override
        public void bufferReceived(ByteBuffer data) {
            int half = data.remaining() / 2;
            ByteBuffer first = data.duplicate();
            first.limit(first.position() + half);
            transport().write(first);
            data.position(data.position() + half);
            transport().write(data);
        }

        @Override
        public void dataReceived(byte[] data) {
            bufferReceived(ByteBuffer.wrap(data));
        }
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 10));
        }
        return bytes;
    }

    private byte[] echoThrough(ProtocolFactory server, byte[] payload) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder protocol = await(client.built);
            await(protocol.connected);
            for (int at = 0; at < payload.length; at += 100_000) {
                protocol.transport().write(java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + 100_000)));
            }
            byte[] echoed = await(protocol.receivedAtLeast(payload.length));
            protocol.transport().loseConnection();
            await(client.lost);
            return echoed;
        }));
    }

    @Test
    void aHandedOverBufferKeepsItsBytesWhileTheReactorReadsOn() {
        byte[] payload = pattern(8 * 1024 * 1024);
        assertThat(echoThrough(ProtocolFactory.forProtocol(HandOverEcho::new), payload)).isEqualTo(payload);
    }

    @Test
    void partsOfALentBufferAreCopiedOrHandedOverInOrder() {
        byte[] payload = pattern(4 * 1024 * 1024);
        assertThat(echoThrough(ProtocolFactory.forProtocol(SplitEcho::new), payload)).isEqualTo(payload);
    }

    @Test
    void theDefaultWriteOfAByteBufferCopiesIt() {
        dev.twine.testing.StringTransport transport = new dev.twine.testing.StringTransport();
        ByteBuffer buffer = ByteBuffer.wrap("abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        buffer.position(2);
        transport.write(buffer);
        assertThat(transport.valueAsString()).isEqualTo("cdef");
        assertThat(buffer.hasRemaining()).isFalse();
    }
}
