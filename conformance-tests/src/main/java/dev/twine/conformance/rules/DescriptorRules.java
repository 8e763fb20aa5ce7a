package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.FastPoetryServer;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** User descriptors: the layer the tutorial's first, hand-written client uses. */
public class DescriptorRules extends RuleSet {

    private static ReactorDescriptors fds(dev.twine.reactor.Reactor reactor) {
        if (!(reactor instanceof ReactorDescriptors fds)) {
            throw new AssertionError("the provider declares DESCRIPTORS but its reactor does not implement ReactorDescriptors");
        }
        return fds;
    }

    /** Reads a socket by hand until end of stream, like the tutorial's PoetrySocket. */
    static class HandReader implements ReadDescriptor {
        final SocketChannel socket;
        final ByteArrayOutputStream read = new ByteArrayOutputStream();
        final Deferred<Throwable> lost = new Deferred<>();
        int reads;

        HandReader(int port) {
            try {
                socket = SocketChannel.open(new InetSocketAddress(Net.LOOPBACK, port));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Throwable doRead() throws IOException {
            reads++;
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            int n = socket.read(buffer);
            if (n < 0) {
                return new ConnectionDone();
            }
            read.write(buffer.array(), 0, n);
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
            if (!lost.isCalled()) {
                lost.callback(reason.value());
            }
        }
    }

    @Rule(id = "DESC-01", capability = Capability.DESCRIPTORS, value = "addReader calls doRead whenever the channel has "
            + "something to read; a reader that reports ConnectionDone is removed and hears connectionLost with it")
    @TrialTest
    void aHandWrittenReaderGetsThePoem(TrialContext test) {
        String poem = "This poem is read by hand, a few bytes at a time.\n".repeat(20);
        try (FastPoetryServer server = FakeServers.fastPoetry(poem).start()) {
            HandReader[] reader = new HandReader[1];
            List<Boolean> listed = new ArrayList<>();
            Throwable reason = Rut.run(test, reactor -> {
                reader[0] = new HandReader(server.port());
                fds(reactor).addReader(reader[0]);
                listed.add(fds(reactor).getReaders().contains(reader[0]));
                return reader[0].lost.addCallback(r -> {
                    listed.add(fds(reactor).getReaders().contains(reader[0]));
                    return r;
                });
            });
            assertThat(reason).isInstanceOf(ConnectionDone.class);
            assertThat(reader[0].read.toString(StandardCharsets.UTF_8)).isEqualTo(poem);
            assertThat(listed).as("among getReaders() while reading, then after").containsExactly(true, false);
        }
    }

    @Rule(id = "DESC-02", capability = Capability.DESCRIPTORS, value = "removeReader stops doRead calls, however much "
            + "there is to read")
    @TrialTest
    void removeReaderStopsReads(TrialContext test) throws IOException {
        Pipe pipe = Pipe.open();
        try {
            int[] reads = {0};
            ReadDescriptor reader = new ReadDescriptor() {
                @Override
                public Throwable doRead() {
                    reads[0]++;
                    return null; // reads nothing: the channel stays readable
                }

                @Override
                public SelectableChannel channel() {
                    return pipe.source();
                }

                @Override
                public void connectionLost(Failure reason) {
                }
            };
            int[] counts = Rut.run(test, reactor -> {
                fds(reactor).addReader(reader);
                try {
                    pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                } catch (IOException e) {
                    return Deferred.fail(e);
                }
                return Poll.until(reactor, () -> reads[0] > 0).addDeferredCallback(ignored -> {
                    fds(reactor).removeReader(reader);
                    int atRemoval = reads[0];
                    return Poll.sleep(reactor, java.time.Duration.ofMillis(30)).addCallback(x -> new int[] {atRemoval, reads[0]});
                });
            });
            assertThat(counts[1]).as("doRead calls after removeReader").isEqualTo(counts[0]);
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Rule(id = "DESC-03", capability = Capability.DESCRIPTORS, value = "addWriter calls doWrite while the channel can "
            + "take bytes, until the writer removes itself")
    @TrialTest
    void aWriterWritesUntilItRemovesItself(TrialContext test) throws IOException {
        Pipe pipe = Pipe.open();
        try {
            byte[] message = "written by hand".getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.wrap(message);
            int[] writes = {0};
            Rut.run(test, reactor -> {
                WriteDescriptor writer = new WriteDescriptor() {
                    @Override
                    public Throwable doWrite() throws IOException {
                        writes[0]++;
                        pipe.sink().write(out);
                        if (!out.hasRemaining()) {
                            fds(reactor).removeWriter(this);
                        }
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
                return Poll.until(reactor, () -> !out.hasRemaining()).addCallback(ignored -> {
                    assertThat(fds(reactor).getWriters()).as("getWriters() after it removed itself").doesNotContain(writer);
                    return null;
                });
            });
            ByteBuffer in = ByteBuffer.allocate(message.length);
            pipe.source().configureBlocking(true);
            while (in.hasRemaining()) {
                pipe.source().read(in);
            }
            assertThat(in.array()).isEqualTo(message);
            assertThat(writes[0]).as("doWrite calls").isPositive();
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Rule(id = "DESC-04", capability = Capability.DESCRIPTORS, value = "a reader whose doRead throws is removed, the "
            + "error is logged, and its connectionLost hears the exception")
    @TrialTest
    void aThrowingReaderIsRemoved(TrialContext test) {
        try (FastPoetryServer server = FakeServers.fastPoetry("x\n").start()) {
            HandReader reader = new HandReader(server.port()) {
                @Override
                public Throwable doRead() {
                    throw new IllegalStateException("doRead failed on purpose");
                }
            };
            Throwable reason = Rut.run(test, reactor -> {
                fds(reactor).addReader(reader);
                return reader.lost;
            });
            assertThat(reason).isInstanceOf(IllegalStateException.class);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        }
    }

    @Rule(id = "DESC-05", capability = Capability.DESCRIPTORS, value = "removeAll stops watching every descriptor, the "
            + "reactor's own ports included, and returns them")
    @TrialTest
    void removeAllReturnsEverything(TrialContext test) {
        try (FastPoetryServer server = FakeServers.fastPoetry("x\n").start()) {
            List<String> seen = new ArrayList<>();
            HandReader reader = new HandReader(server.port());
            Rut.run(test, reactor -> {
                ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, Net.LOOPBACK);
                fds(reactor).addReader(reader);
                List<Descriptor> removed = fds(reactor).removeAll();
                seen.add("the hand reader returned: " + removed.contains(reader));
                seen.add("the port returned: " + removed.stream().anyMatch(d -> !(d == reader)));
                seen.add("readers left: " + fds(reactor).getReaders().size());
                try {
                    reader.socket.close();
                } catch (IOException e) {
                    return Deferred.fail(e);
                }
                for (Descriptor d : removed) {
                    if (d != reader) {
                        d.connectionLost(new Failure(new ConnectionDone()));
                    }
                }
                return Deferred.succeed(port);
            });
            assertThat(seen).containsExactly("the hand reader returned: true", "the port returned: true", "readers left: 0");
        }
    }
}
