package dev.twine.reactor.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.harness.Tls;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.protocol.BufferReceiver;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTLS;
import dev.twine.reactor.ReactorUnix;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Netty's leak detector, at paranoid level in these tests (Surefire's argLine), reports no buffer
 * this reactor failed to release: after echo traffic on both read paths (arrays, and buffers lent
 * and written back without a copy), in clear, over TLS (Netty's SslHandler) and over Unix domain
 * sockets (the reactor's own channels), with closes, aborts and resets, every buffer has been
 * released.
 */
class NettyBufferLeakTest {

    /** Echoes what it is lent, handing the buffer back to the transport. */
    static final class BufferEcho extends Protocol implements BufferReceiver {
        @Override
        public void bufferReceived(ByteBuffer data) {
            transport().write(data);
        }

        @Override
        public void dataReceived(byte[] data) {
            bufferReceived(ByteBuffer.wrap(data));
        }
    }

    /** Echoes arrays. */
    static final class ArrayEcho extends Protocol {
        @Override
        public void dataReceived(byte[] data) {
            transport().write(data);
        }
    }

    @TrialTest
    Deferred<Void> noBufferIsLeaked(Reactor reactor, TrialContext test) throws IOException {
        assertThat(ResourceLeakDetector.getLevel()).as("the leak detector's level in these tests").isEqualTo(ResourceLeakDetector.Level.PARANOID);
        ListeningPort buffers = reactor.listenTCP(0, ProtocolFactory.forProtocol(BufferEcho::new), 50, "127.0.0.1");
        ListeningPort arrays = reactor.listenTCP(0, ProtocolFactory.forProtocol(ArrayEcho::new), 50, "127.0.0.1");
        ReactorTLS tls = (ReactorTLS) reactor;
        ListeningPort tlsBuffers = tls.listenSSL(0, ProtocolFactory.forProtocol(BufferEcho::new), Tls.server(), 50, "127.0.0.1");
        ListeningPort tlsArrays = tls.listenSSL(0, ProtocolFactory.forProtocol(ArrayEcho::new), Tls.server(), 50, "127.0.0.1");
        test.addCleanup(buffers::stopListening);
        test.addCleanup(arrays::stopListening);
        test.addCleanup(tlsBuffers::stopListening);
        test.addCleanup(tlsArrays::stopListening);
        ReactorUnix unix = (ReactorUnix) reactor;
        Path directory = Files.createTempDirectory("twine-leaks");
        Path unixSocket = directory.resolve("echo.sock");
        ListeningPort unixBuffers = unix.listenUNIX(unixSocket, ProtocolFactory.forProtocol(BufferEcho::new), 50);
        test.addCleanup(() -> unixBuffers.stopListening().addVoidCallback(stopped -> {
            try {
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        List<Deferred<Void>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            runs.add(exchange(reactor, buffers, i % 3, null));
            runs.add(exchange(reactor, arrays, i % 3, null));
            runs.add(exchange(reactor, tlsBuffers, i % 3, Tls.trustingClient()));
            runs.add(exchange(reactor, tlsArrays, i % 3, Tls.trustingClient()));
            runs.add(exchange(i % 3, factory -> unix.connectUNIX(unixSocket, factory, null)));
        }
        return DeferredList.gatherResults(runs).addVoidCallback(ignored -> {
            // A leaked buffer is reported when the collector has found it and another buffer is tracked.
            for (int round = 0; round < 5; round++) {
                System.gc();
                for (int i = 0; i < 200; i++) {
                    ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                    probe.release();
                }
            }
            assertThat(RecordingLeakDetector.LEAKS).as("leaks Netty's detector reported in this JVM").isEmpty();
        });
    }

    /**
     * Sends 64 KiB and reads it back, then ends: 0 closes cleanly, 1 aborts, 2 loses before reading it
     * all. Over TLS when {@code tls} is given.
     */
    private static Deferred<Void> exchange(Reactor reactor, ListeningPort port, int ending, SSLContext tls) {
        int portNumber = ((IPv4Address) port.getHost()).port();
        if (tls == null) {
            return exchange(ending, factory -> reactor.connectTCP("127.0.0.1", portNumber, factory));
        }
        return exchange(ending, factory -> ((ReactorTLS) reactor).connectSSL("127.0.0.1", portNumber, factory, tls,
                java.time.Duration.ofSeconds(30), null));
    }

    /** The exchange over a connection that {@code connect} makes with the factory it is given. */
    private static Deferred<Void> exchange(int ending, Consumer<ClientFactory> connect) {
        Deferred<Void> done = new Deferred<>();
        byte[] payload = new byte[64 * 1024];
        ClientFactory factory = new ClientFactory() {
            @Override
            public Protocol buildProtocol(Address address) {
                return new Protocol() {
                    int received;

                    @Override
                    public void connectionMade() {
                        transport().write(payload);
                    }

                    @Override
                    public void dataReceived(byte[] data) {
                        received += data.length;
                        if (ending == 2 && received > 0) {
                            transport().loseConnection();
                        } else if (received == payload.length) {
                            if (ending == 1) {
                                transport().abortConnection();
                            } else {
                                transport().loseConnection();
                            }
                        }
                    }
                };
            }

            @Override
            public void clientConnectionFailed(Connector connector, dev.twine.defer.Failure reason) {
                done.errback(reason);
            }

            @Override
            public void clientConnectionLost(Connector connector, dev.twine.defer.Failure reason) {
                done.callback(null);
            }
        };
        connect.accept(factory);
        return done;
    }
}
