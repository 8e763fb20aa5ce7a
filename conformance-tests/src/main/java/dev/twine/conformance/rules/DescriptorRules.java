package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Conformance;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.FastPoetryServer;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.testing.CallbackThreads;
import dev.twine.testing.Recorder;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** User descriptors: the layer the tutorial's first, hand-written client uses. */
@API(status = INTERNAL, since = "0.1")
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
        final CallbackThreads callbacks = new CallbackThreads();
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
            callbacks.record("doRead");
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
            callbacks.record("connectionLost");
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

    /** A reader of a pipe that counts its doRead calls, reads nothing (so the pipe stays readable), and can fire when called. */
    private static final class PipeReader implements ReadDescriptor {
        final Pipe pipe;
        int reads;
        Deferred<Void> nextRead = new Deferred<>();

        PipeReader(Pipe pipe) {
            this.pipe = pipe;
        }

        @Override
        public Throwable doRead() {
            reads++;
            if (!nextRead.isCalled()) {
                nextRead.callback(null);
            }
            return null;
        }

        @Override
        public SelectableChannel channel() {
            return pipe.source();
        }

        @Override
        public void connectionLost(Failure reason) {
        }
    }

    private static Pipe pipe(TrialContext test) throws IOException {
        Pipe pipe = Pipe.open();
        test.addCleanup(() -> {
            try {
                pipe.source().close();
                pipe.sink().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        return pipe;
    }

    @Rule(id = "DESC-01", capability = Capability.DESCRIPTORS, value = "addReader calls doRead whenever the channel has "
            + "something to read; a reader that reports ConnectionDone is removed and hears connectionLost with it")
    @TrialTest
    Deferred<Void> aHandWrittenReaderGetsThePoem(TrialContext test) throws IOException {
        String poem = "This poem is read by hand, a few bytes at a time.\n".repeat(20);
        FastPoetryServer server = FakeServers.fastPoetry(poem).start();
        test.addCleanup(server::close);
        HandReader[] reader = new HandReader[1];
        List<Boolean> listed = new ArrayList<>();
        return Rut.start(test, reactor -> {
            reader[0] = new HandReader(server.port());
            fds(reactor).addReader(reader[0]);
            listed.add(fds(reactor).getReaders().contains(reader[0]));
            return reader[0].lost.addCallback(r -> {
                listed.add(fds(reactor).getReaders().contains(reader[0]));
                return r;
            });
        }).addVoidCallback(reason -> {
            assertThat(reason).isInstanceOf(ConnectionDone.class);
            assertThat(reader[0].read.toString(StandardCharsets.UTF_8)).isEqualTo(poem);
            assertThat(listed).as("among getReaders() while reading, then after").containsExactly(true, false);
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), reader[0].callbacks);
        });
    }

    @Rule(id = "DESC-02", capability = Capability.DESCRIPTORS, value = "removeReader stops doRead calls, however much "
            + "there is to read")
    @TrialTest
    Deferred<Void> removeReaderStopsReads(TrialContext test) throws IOException {
        PipeReader removed = new PipeReader(pipe(test));
        PipeReader kept = new PipeReader(pipe(test));
        return Rut.start(test, reactor -> {
            fds(reactor).addReader(removed);
            try {
                removed.pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            } catch (IOException e) {
                return Deferred.fail(e);
            }
            return removed.nextRead.addDeferredCallback(ignored -> {
                fds(reactor).removeReader(removed);
                int atRemoval = removed.reads;
                // Both pipes readable from now on: the loop calls the reader it still watches, and would
                // call the removed one in the same pass.
                fds(reactor).addReader(kept);
                try {
                    removed.pipe.sink().write(ByteBuffer.wrap(new byte[] {4}));
                    kept.pipe.sink().write(ByteBuffer.wrap(new byte[] {5}));
                } catch (IOException e) {
                    return Deferred.fail(e);
                }
                kept.nextRead = new Deferred<>();
                Deferred<Void> second = kept.nextRead;
                return kept.nextRead.addDeferredCallback(x -> {
                    kept.nextRead = second.isCalled() ? new Deferred<>() : second;
                    return kept.nextRead; // one more pass of the loop
                }).addCallback(x -> {
                    fds(reactor).removeReader(kept);
                    return new int[] {atRemoval, removed.reads};
                });
            });
        }).addVoidCallback(counts -> {
            assertThat(counts[1]).as("doRead calls after removeReader").isEqualTo(counts[0]);
        });
    }

    @Rule(id = "DESC-03", capability = Capability.DESCRIPTORS, value = "addWriter calls doWrite while the channel can "
            + "take bytes, until the writer removes itself")
    @TrialTest
    Deferred<Void> aWriterWritesUntilItRemovesItself(TrialContext test) throws IOException {
        Pipe pipe = pipe(test);
        byte[] message = "written by hand".getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.wrap(message);
        int[] writes = {0};
        CallbackThreads threads = new CallbackThreads();
        return Rut.start(test, reactor -> {
            Deferred<Void> written = new Deferred<>();
            WriteDescriptor writer = new WriteDescriptor() {
                @Override
                public Throwable doWrite() throws IOException {
                    threads.record("doWrite");
                    writes[0]++;
                    pipe.sink().write(out);
                    if (!out.hasRemaining()) {
                        fds(reactor).removeWriter(this);
                        written.callback(null);
                    }
                    return null;
                }

                @Override
                public SelectableChannel channel() {
                    return pipe.sink();
                }

                @Override
                public void connectionLost(Failure reason) {
                    threads.record("connectionLost");
                }
            };
            fds(reactor).addWriter(writer);
            return written.addVoidCallback(ignored -> {
                assertThat(fds(reactor).getWriters()).as("getWriters() after it removed itself").doesNotContain(writer);
            });
        }).addVoidCallback(ignored -> {
            ByteBuffer in = ByteBuffer.allocate(message.length);
            pipe.source().configureBlocking(false);
            pipe.source().read(in); // written in full already: the bytes are in the pipe
            assertThat(in.array()).isEqualTo(message);
            assertThat(writes[0]).as("doWrite calls").isPositive();
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), threads);
        });
    }

    @Rule(id = "DESC-04", capability = Capability.DESCRIPTORS, value = "a reader whose doRead throws is removed, the "
            + "error is logged, and its connectionLost hears the exception")
    @TrialTest
    Deferred<Void> aThrowingReaderIsRemoved(TrialContext test) throws IOException {
        FastPoetryServer server = FakeServers.fastPoetry("x\n").start();
        test.addCleanup(server::close);
        HandReader reader = new HandReader(server.port()) {
            @Override
            public Throwable doRead() {
                callbacks.record("doRead");
                throw new IllegalStateException("doRead failed on purpose");
            }
        };
        return Rut.start(test, reactor -> {
            fds(reactor).addReader(reader);
            return reader.lost;
        }).addVoidCallback(reason -> {
            assertThat(reason).isInstanceOf(IllegalStateException.class);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), reader.callbacks);
        });
    }

    @Rule(id = "DESC-05", capability = Capability.DESCRIPTORS, value = "removeAll stops watching every descriptor, the "
            + "reactor's own ports included, and returns them, but not the reactor's own waker: callFromThread still "
            + "wakes it")
    @TrialTest
    Deferred<Void> removeAllReturnsEverything(TrialContext test) throws IOException {
        FastPoetryServer server = FakeServers.fastPoetry("x\n").start();
        test.addCleanup(server::close);
        List<String> seen = new ArrayList<>();
        HandReader reader = new HandReader(server.port());
        Duration bound = Conformance.ruleLimit(test).dividedBy(2);
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, Net.LOOPBACK);
            fds(reactor).addReader(reader);
            List<Descriptor> removed = fds(reactor).removeAll();
            seen.add("the hand reader returned: " + removed.contains(reader));
            List<Descriptor> others = removed.stream().filter(d -> d != reader).toList();
            seen.add("others returned: " + others.size() + " (the port)");
            seen.add("readers left: " + fds(reactor).getReaders().size());
            try {
                reader.socket.close();
            } catch (IOException e) {
                return Deferred.fail(e);
            }
            for (Descriptor d : others) {
                d.connectionLost(new Failure(new ConnectionDone()));
            }
            // The waker must still be watched: a call from another thread wakes the idle loop.
            Deferred<Void> woken = new Deferred<>();
            DelayedCall giveUp = reactor.callLater(bound, () -> {
                if (!woken.isCalled()) {
                    woken.errback(new Failure(new AssertionError("after removeAll, callFromThread did not wake the idle "
                            + "reactor within " + bound.toMillis() + " ms: removeAll removed the reactor's own waker")));
                }
            });
            Peer.run("waker", () -> {
                reactor.callFromThread(() -> {
                    if (!woken.isCalled() && giveUp.isActive()) {
                        giveUp.cancel();
                        woken.callback(null);
                    }
                });
                return null;
            });
            return woken.addCallback(ignored -> port);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what removeAll returned (a descriptor too many is the reactor's own waker, which it "
                    + "must keep)").containsExactly("the hand reader returned: true", "others returned: 1 (the port)",
                    "readers left: 0");
        });
    }
}
