package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.testing.Poll;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * User descriptors on the channels the first rules leave out: a listening socket, a socket still
 * connecting, one channel watched for reading and writing at once, a writer that reports an end.
 * Found by mutation testing of the built-in reactor (./twine mutation).
 */
@API(status = INTERNAL, since = "0.1")
public class DescriptorEdgeRules extends RuleSet {

    private static ReactorDescriptors fds(Reactor reactor) {
        if (!(reactor instanceof ReactorDescriptors fds)) {
            throw new AssertionError(reactor + " declares DESCRIPTORS but is not a ReactorDescriptors");
        }
        return fds;
    }

    private static ServerSocketChannel listening() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getByName(Net.LOOPBACK), 0));
        return server;
    }

    private static int port(ServerSocketChannel server) throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private static void close(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the rule is over
        }
    }

    @Rule(id = "DESC-20", capability = Capability.DESCRIPTORS, value = "a reader on a listening ServerSocketChannel "
            + "gets doRead when a client connects, and can accept it there")
    @TrialTest
    Deferred<Void> aReaderOnAListeningSocketHearsConnections(TrialContext test) throws IOException {
        ServerSocketChannel server = listening();
        test.addCleanup(() -> close(server));
        int port = port(server);
        List<String> events = new CopyOnWriteArrayList<>();
        return Rut.start(test, reactor -> {
            Deferred<Void> lost = new Deferred<>();
            fds(reactor).addReader(new ReadDescriptor() {
                @Override
                public Throwable doRead() throws IOException {
                    SocketChannel accepted = server.accept();
                    if (accepted == null) {
                        return null;
                    }
                    events.add("accepted a connection from " + accepted.getRemoteAddress().getClass().getSimpleName());
                    accepted.close();
                    return new ConnectionDone();
                }

                @Override
                public SelectableChannel channel() {
                    return server;
                }

                @Override
                public void connectionLost(Failure reason) {
                    events.add("connectionLost " + reason.value().getClass().getSimpleName());
                    lost.callback(null);
                }
            });
            Peer.run("client", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, port)) {
                    return socket.getInputStream().read(); // until the reader closes it
                }
            });
            return lost;
        }).addVoidCallback(ignored -> {
            assertThat(events).as("what the reader saw").containsExactly("accepted a connection from InetSocketAddress",
                    "connectionLost ConnectionDone");
        });
    }

    @Rule(id = "DESC-21", capability = Capability.DESCRIPTORS, value = "a writer on a SocketChannel whose non-blocking "
            + "connect is pending gets doWrite once the connection is made, and finishConnect completes it there")
    @TrialTest
    Deferred<Void> aWriterHearsAConnectFinish(TrialContext test) throws IOException {
        ServerSocketChannel server = listening();
        test.addCleanup(() -> close(server));
        SocketChannel client = SocketChannel.open();
        test.addCleanup(() -> close(client));
        client.configureBlocking(false);
        List<String> events = new CopyOnWriteArrayList<>();
        return Rut.start(test, reactor -> {
            Deferred<Void> done = new Deferred<>();
            try {
                events.add(client.connect(new InetSocketAddress(Net.LOOPBACK, port(server))) ? "connected at once"
                        : "connecting");
            } catch (IOException e) {
                return Deferred.fail(e);
            }
            fds(reactor).addWriter(new WriteDescriptor() {
                @Override
                public Throwable doWrite() throws IOException {
                    if (!client.finishConnect()) {
                        return null;
                    }
                    events.add("connected in doWrite");
                    fds(reactor).removeWriter(this);
                    done.callback(null);
                    return null;
                }

                @Override
                public SelectableChannel channel() {
                    return client;
                }

                @Override
                public void connectionLost(Failure reason) {
                    done.errback(reason);
                }
            });
            return done;
        }).addVoidCallback(ignored -> {
            assertThat(events).as("what the writer saw").endsWith("connected in doWrite");
        });
    }

    /** Reads and writes one channel: writes {@code ping}, then reads until the peer closes. */
    private static final class PingReader implements ReadDescriptor, WriteDescriptor {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Deferred<Throwable> lost = new Deferred<>();
        private final Reactor reactor;
        private final SocketChannel channel;
        private final ByteBuffer ping = ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII));
        private final ByteBuffer in = ByteBuffer.allocate(64);

        PingReader(Reactor reactor, SocketChannel channel) {
            this.reactor = reactor;
            this.channel = channel;
        }

        @Override
        public Throwable doWrite() throws IOException {
            channel.write(ping);
            if (!ping.hasRemaining()) {
                events.add("wrote ping");
                fds(reactor).removeWriter(this);
            }
            return null;
        }

        @Override
        public Throwable doRead() throws IOException {
            int n = channel.read(in);
            if (n == 0) {
                events.add("doRead with nothing to read");
            }
            if (n < 0) {
                events.add("read " + new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII) + ", then end");
                return new ConnectionDone();
            }
            return null;
        }

        @Override
        public SelectableChannel channel() {
            return channel;
        }

        @Override
        public void connectionLost(Failure reason) {
            events.add("connectionLost " + reason.value().getClass().getSimpleName());
            lost.callback(reason.value());
        }
    }

    @Rule(id = "DESC-22", capability = Capability.DESCRIPTORS, value = "one descriptor added as reader and writer of "
            + "the same channel gets doWrite while it is a writer and doRead only when there is something to read; "
            + "removing it as writer keeps its reads coming")
    @TrialTest
    Deferred<Void> oneChannelReadAndWritten(TrialContext test) throws IOException {
        ServerSocketChannel server = listening();
        test.addCleanup(() -> close(server));
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(Net.LOOPBACK, port(server)));
        test.addCleanup(() -> close(channel));
        SocketChannel other = server.accept();
        test.addCleanup(() -> close(other));
        List<List<String>> seen = new java.util.ArrayList<>();
        return Rut.start(test, reactor -> {
            PingReader descriptor = new PingReader(reactor, channel);
            seen.add(descriptor.events);
            CompletableFuture<Object> peer = Peer.run("pong", () -> {
                Socket socket = other.socket();
                InputStream in = socket.getInputStream();
                byte[] got = in.readNBytes(4);
                OutputStream out = socket.getOutputStream();
                out.write(("pong after " + new String(got, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                return null;
            });
            fds(reactor).addReader(descriptor);
            fds(reactor).addWriter(descriptor);
            return descriptor.lost.addDeferredCallback(reason -> Poll.future(reactor, peer)).addVoidCallback(ignored -> {
                assertThat(fds(reactor).getReaders()).as("getReaders() after the end").doesNotContain(descriptor);
            });
        }).addVoidCallback(ignored -> {
            assertThat(seen.get(0)).as("what the descriptor saw").containsExactly("wrote ping", "read pong after ping, then end",
                    "connectionLost ConnectionDone");
        });
    }

    @Rule(id = "DESC-23", capability = Capability.DESCRIPTORS, value = "a writer whose doWrite returns a reason is "
            + "removed and its connectionLost hears that reason")
    @TrialTest
    Deferred<Void> aWriterThatReportsAnEndIsRemoved(TrialContext test) throws IOException {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        test.addCleanup(() -> close(pipe.sink()));
        test.addCleanup(() -> close(pipe.source()));
        ConnectionLost why = new ConnectionLost(new IOException("the writer's own reason"));
        int[] writes = {0};
        return Rut.start(test, reactor -> {
            Deferred<Throwable> lost = new Deferred<>();
            WriteDescriptor writer = new WriteDescriptor() {
                @Override
                public Throwable doWrite() {
                    writes[0]++;
                    return why;
                }

                @Override
                public SelectableChannel channel() {
                    return pipe.sink();
                }

                @Override
                public void connectionLost(Failure reason) {
                    lost.callback(reason.value());
                }
            };
            fds(reactor).addWriter(writer);
            return lost.addCallback(reason -> {
                assertThat(fds(reactor).getWriters()).as("getWriters() once it reported its end").doesNotContain(writer);
                return reason;
            });
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason connectionLost heard").isSameAs(why);
            assertThat(writes[0]).as("doWrite calls").isEqualTo(1);
        });
    }

    @Rule(id = "DESC-24", capability = Capability.DESCRIPTORS, value = "getReaders() holds a listening TCP or UDP port "
            + "until its stopListening(), and not after; removeAll() also empties getWriters()")
    @TrialTest
    Deferred<Void> portsLeaveTheReadersWhenTheyStop(TrialContext test) throws IOException {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        test.addCleanup(() -> close(pipe.sink()));
        test.addCleanup(() -> close(pipe.source()));
        List<String> seen = new CopyOnWriteArrayList<>();
        int[] ports = {1};
        return Rut.start(test, reactor -> {
            int before = fds(reactor).getReaders().size();
            dev.twine.reactor.ListeningPort tcp = reactor.listenTCP(0,
                    dev.twine.protocol.ProtocolFactory.forProtocol(dev.twine.testing.Recorder::new), 50,
                    Net.LOOPBACK);
            dev.twine.protocol.DatagramTransport udpPort = null;
            if (reactor instanceof dev.twine.reactor.ReactorUDP udp) {
                udpPort = udp.listenUDP(0, new dev.twine.protocol.DatagramProtocol() {
                }, Net.LOOPBACK, 8192);
                ports[0] = 2;
            }
            seen.add("readers added while listening: " + (fds(reactor).getReaders().size() - before));
            Deferred<Void> udpStopped = udpPort == null ? Deferred.succeed(null) : udpPort.stopListening();
            return udpStopped.addDeferredCallback(ignored -> tcp.stopListening()).addCallback(ignored -> {
                seen.add("readers left after stopListening(): " + (fds(reactor).getReaders().size() - before));
                WriteDescriptor writer = new WriteDescriptor() {
                    @Override
                    public Throwable doWrite() {
                        return null;
                    }

                    @Override
                    public SelectableChannel channel() {
                        return pipe.sink();
                    }

                    @Override
                    public void connectionLost(Failure reason) {
                    }
                };
                fds(reactor).addWriter(writer);
                List<dev.twine.reactor.Descriptor> removed = fds(reactor).removeAll();
                seen.add("removeAll() returned the writer: " + removed.contains(writer));
                seen.add("writers left after removeAll(): " + fds(reactor).getWriters().size());
                return null;
            });
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what getReaders(), getWriters() and removeAll() said").containsExactly(
                    "readers added while listening: " + ports[0],
                    "readers left after stopListening(): 0", "removeAll() returned the writer: true",
                    "writers left after removeAll(): 0");
        });
    }
}
