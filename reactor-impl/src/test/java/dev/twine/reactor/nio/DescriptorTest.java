package dev.twine.reactor.nio;

import static dev.twine.reactor.nio.TcpTest.port;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.testing.Echo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User descriptors: the tutorial's first client reads a socket by hand this way. */
class DescriptorTest {
    private final Harness harness = new Harness();

    /** Reads a poem from a socket until end of stream, like twisted-client-1's PoetrySocket. */
    static class PoetrySocket implements ReadDescriptor {
        final SocketChannel socket;
        final ByteArrayOutputStream poem = new ByteArrayOutputStream();
        final Deferred<Throwable> done = new Deferred<>();

        PoetrySocket(InetSocketAddress address) throws IOException {
            socket = SocketChannel.open(address);
        }

        @Override
        public Throwable doRead() throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            int n = socket.read(buffer);
            if (n < 0) {
                return new ConnectionDone();
            }
            poem.write(buffer.array(), 0, n);
            return null;
        }

        @Override
        public SelectableChannel channel() {
            return socket;
        }

        @Override
        public void connectionLost(Failure reason) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            done.callback(reason.value());
        }
    }

    @Test
    void aHandWrittenReaderGetsThePoemThenConnectionDone() {
        String poem = "This poem is read by hand, a few bytes at a time.\n";
        PoetrySocket[] reader = new PoetrySocket[1];
        Throwable reason = harness.run(reactor -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write(poem.getBytes(UTF_8));
                    transport().loseConnection();
                }
            }), 50, "127.0.0.1");
            try {
                reader[0] = new PoetrySocket(new InetSocketAddress("127.0.0.1", port(port)));
            } catch (IOException e) {
                return Deferred.fail(e);
            }
            reactor.addReader(reader[0]);
            assertThat(reactor.getReaders()).contains(reader[0]);
            return reader[0].done;
        });
        assertThat(reason).isInstanceOf(ConnectionDone.class);
        assertThat(reader[0].poem.toString(UTF_8)).isEqualTo(poem);
        assertThat(harness.reactor.getReaders()).doesNotContain(reader[0]);
    }

    @Test
    void aReaderThatThrowsIsLoggedAndLosesItsConnectionWithTheError() {
        Throwable reason = harness.run(reactor -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write("x".getBytes(UTF_8));
                }
            }), 50, "127.0.0.1");
            PoetrySocket broken;
            try {
                broken = new PoetrySocket(new InetSocketAddress("127.0.0.1", port(port))) {
                    @Override
                    public Throwable doRead() {
                        throw new IllegalStateException("reader broke");
                    }
                };
            } catch (IOException e) {
                return Deferred.fail(e);
            }
            reactor.addReader(broken);
            return broken.done;
        });
        assertThat(reason).hasMessage("reader broke");
        assertThat(harness.logged).singleElement().asString().contains("(doRead)").contains("reader broke");
    }

    @Test
    void removeAllReturnsTheReactorsOwnPortsAndConnectionsToo() {
        List<Descriptor> removed = harness.run(reactor -> {
            reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new), 50, "127.0.0.1");
            List<Descriptor> all = reactor.removeAll();
            for (Descriptor d : all) {
                d.connectionLost(new Failure(new ConnectionLost()));
            }
            return Deferred.succeed(all);
        });
        assertThat(removed).hasSize(1);
        assertThat(removed.get(0).logPrefix()).contains("port");
    }
}
