package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Conformance;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.task.Tasks;
import dev.twine.testing.ChunkProducer.Writing;
import dev.twine.testing.ChunkProducer;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apiguardian.api.API;

/** Producers and consumers on TCP transports: flow control, as Twisted's producer tests check it. */
@API(status = INTERNAL, since = "0.1")
public class TcpProducerRules extends RuleSet {

    /** What each {@link ChunkProducer} of TCP-43 writes, again and again: a pattern that shows a lost byte. */
    static final byte[] CHUNK = Bytes.pattern(16 * 1024);

    /**
     * A peer that connects, reads nothing until {@code go} completes, then reads to the end,
     * checking that the bytes repeat {@link #CHUNK}; it gives up if no byte comes for
     * {@code stall}. Says how many bytes it read and how it ended.
     */
    static CompletableFuture<String> slowReader(int port, CompletableFuture<Void> go, Duration stall) {
        return Peer.run("slow-reader", () -> {
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(16 * 1024);
                socket.connect(new InetSocketAddress(Net.LOOPBACK, port), 5000);
                go.get(30, TimeUnit.SECONDS);
                socket.setSoTimeout((int) Math.max(1, stall.toMillis()));
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                long wrong = -1;
                try {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        for (int i = 0; i < n && wrong < 0; i++) {
                            if (buffer[i] != CHUNK[(int) ((total + i) % CHUNK.length)]) {
                                wrong = total + i;
                            }
                        }
                        total += n;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    return total + " bytes, then nothing for " + stall.toMillis() + " ms (the producer was left paused)";
                }
                return total + " bytes" + (wrong >= 0 ? " differing from byte " + wrong : "") + ", then end of stream";
            }
        });
    }

    @Rule(id = "TCP-43", capability = Capability.TCP, value = "a streaming producer is paused once the transport buffers "
            + "more than its high-water mark for a peer that does not read, and resumed when the buffer drains; also "
            + "when it writes with writeSequence, or writes again from inside resumeProducing")
    @TrialTest
    Deferred<Void> aStreamingProducerIsThrottled(TrialContext test) {
        int total = 2 * 1024 * 1024; // many times the high-water mark of any sane transport
        Duration stall = Conformance.ruleLimit(test).dividedBy(4);
        Map<Writing, ChunkProducer> producers = new EnumMap<>(Writing.class);
        Map<Writing, String> read = new EnumMap<>(Writing.class);
        return Rut.start(test, reactor -> {
            List<Deferred<Void>> all = new ArrayList<>();
            for (Writing writing : Writing.values()) {
                CompletableFuture<Void> go = new CompletableFuture<>();
                ListeningPort port = TcpServerRules.listen(reactor, address -> new Recorder() {
                    @Override
                    public void connectionMade() {
                        super.connectionMade();
                        ChunkProducer producer = new ChunkProducer(reactor, transport(), CHUNK, total, writing);
                        producers.put(writing, producer);
                        transport().registerProducer(producer, true);
                        producer.produce();
                    }
                });
                CompletableFuture<String> reader = slowReader(Net.port(port), go, stall);
                // No snapshot "still paused a moment later": the kernel's socket buffers grow while the
                // peer does not read (autotuning), so a reactor may rightly resume and pause again.
                all.add(Poll.until(reactor, () -> producers.containsKey(writing) && producers.get(writing).pausedOrFinished())
                        .addDeferredCallback(ignored -> {
                            go.complete(null);
                            return Poll.future(reactor, reader);
                        }).addVoidCallback(text -> {
                            read.put(writing, text);
                        }));
            }
            return DeferredList.gatherResults(all);
        }).addVoidCallback(ignored -> {
            for (Writing writing : Writing.values()) {
                ChunkProducer producer = producers.get(writing);
                String how = writing.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                assertThat(producer.writtenAtFirstPause()).as("bytes written (%s) when the producer was first paused, of %d "
                        + "for a peer that did not read (-1: it was never paused)", how, total).isPositive().isLessThan(total);
                assertThat(read.get(writing)).as("what the peer read (%s)", how).isEqualTo(total + " bytes, then end of stream");
                assertThat(producer.events).as("what the producer was told (%s)", how).startsWith("pause").contains("resume");
            }
        });
    }

    @Rule(id = "TCP-44", capability = Capability.TCP, value = "a pull producer is asked for more each time the buffer "
            + "empties, and loseConnection waits for it to unregister")
    @TrialTest
    Deferred<Void> aPullProducerIsAskedForMore(TrialContext test) {
        List<String> asked = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, address -> new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    transport().loseConnection();
                    transport().registerProducer(new PullProducer() {
                        int n;

                        @Override
                        public void resumeProducing() {
                            asked.add("asked " + n);
                            if (n == 5) {
                                transport().unregisterProducer();
                                return;
                            }
                            send("part" + n++ + ";");
                        }

                        @Override
                        public void stopProducing() {
                            asked.add("stopped");
                        }
                    }, false);
                }
            });
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start().finished());
        }).addVoidCallback(seen -> {
            assertThat(seen.receivedText()).as("what the peer read").isEqualTo("part0;part1;part2;part3;part4;");
            assertThat(asked).as("what the pull producer was asked").containsExactly("asked 0", "asked 1", "asked 2",
                    "asked 3", "asked 4", "asked 5");
        });
    }

    @Rule(id = "TCP-45", capability = Capability.TCP, value = "registering a second producer on a transport throws "
            + "IllegalStateException")
    @TrialTest
    Deferred<Void> oneProducerAtATime(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).start();
            return factory.firstConnected().addDeferredCallback(protocol -> {
                protocol.transport().registerProducer(idle(new ArrayList<>(), "first"), true);
                assertThatThrownBy(() -> protocol.transport().registerProducer(idle(new ArrayList<>(), "second"), true))
                        .as("registering a second producer").isInstanceOf(IllegalStateException.class);
                protocol.transport().unregisterProducer();
                protocol.transport().loseConnection();
                return protocol.lost;
            });
        }).addVoidCallback(reason -> { });
    }

    @Rule(id = "TCP-46", capability = Capability.TCP, value = "a streaming producer still registered when the "
            + "connection closes is told stopProducing, and one registered on a closed transport is told at once")
    @TrialTest
    Deferred<Void> producersAreStoppedByTheClose(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        List<String> events = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).start();
            return factory.firstConnected().addDeferredCallback(protocol -> {
                protocol.transport().registerProducer(idle(events, "registered while open"), true);
                protocol.transport().loseConnection();
                return protocol.lost.addVoidCallback(reason -> {
                    events.add("connectionLost");
                    protocol.transport().registerProducer(idle(events, "registered after the close"), true);
                });
            });
        }).addVoidCallback(ignored -> {
            assertThat(events).as("what the producers were told, and when").containsExactly("registered while open stopped",
                    "connectionLost", "registered after the close stopped");
        });
    }

    /** TCP-47's bytes, sent to the paused connection. */
    static final byte[] HELD_BACK = "held back until resumed".getBytes(StandardCharsets.US_ASCII);

    @Rule(id = "TCP-47", capability = Capability.TCP, value = "pauseProducing on a transport stops dataReceived until "
            + "resumeProducing; nothing is lost")
    @TrialTest
    Deferred<Void> pausingTheTransportStopsReading(TrialContext test) {
        RecordingServerFactory<Recorder> paused = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().pauseProducing();
            }
        });
        RecordingServerFactory<Recorder> marker = new RecordingServerFactory<>(Recorder::new);
        int[] whilePaused = {-1};
        return Rut.start(test, reactor -> {
            int pausedPort = Net.port(TcpServerRules.listen(reactor, paused));
            int markerPort = Net.port(TcpServerRules.listen(reactor, marker));
            CompletableFuture<String> peer = Peer.run("paused-then-marker", () -> sendThenMark(pausedPort, markerPort));
            // Nothing that waits: the marker was written after the held-back bytes were in the paused
            // connection's socket, so once it has arrived and the loop has made one whole pass more,
            // a reactor that went on reading the paused connection would have delivered them.
            Deferred<Recorder> pausedConnection = paused.firstConnected();
            Deferred<byte[]> server = marker.firstConnected().addDeferredCallback(m -> m.receivedAtLeast(1))
                    .addDeferredCallback(ignored -> pausedConnection)
                    .addDeferredCallback(protocol -> Tasks.deferLater(reactor, Duration.ZERO)
                            .addDeferredCallback(ignored -> Tasks.deferLater(reactor, Duration.ZERO))
                            .addDeferredCallback(ignored -> {
                                whilePaused[0] = protocol.received.size();
                                protocol.transport().resumeProducing();
                                return protocol.receivedAtLeast(HELD_BACK.length);
                            }).addCallback(all -> {
                                protocol.transport().loseConnection();
                                marker.protocols.get(0).transport().loseConnection();
                                return protocol.received.toByteArray();
                            }));
            // A peer that fails (it could not connect, or timed out) ends the rule with its reason.
            return DeferredList.gatherResults(List.of(server, Poll.future(reactor, peer)));
        }).addVoidCallback(results -> {
            assertThat(whilePaused[0]).as("bytes delivered to dataReceived while the transport was paused (received "
                    + "while paused), though the peer's later marker had arrived and the loop had turned").isZero();
            assertThat((byte[]) results.get(0)).as("what arrived once resumed").isEqualTo(HELD_BACK);
            assertThat(results.get(1)).as("what the peer saw").isEqualTo("both connections closed by the server");
        });
    }

    /**
     * TCP-47's peer: connects to the paused server and writes the held-back bytes (on loopback they
     * are in the server's socket when the write returns); only then connects to the marker server and
     * writes one byte. Then reads both connections to their end. Says how they ended.
     */
    private static String sendThenMark(int pausedPort, int markerPort) throws Exception {
        try (Socket held = new Socket(); Socket mark = new Socket()) {
            held.connect(new InetSocketAddress(Net.LOOPBACK, pausedPort), 5000);
            held.setSoTimeout(20_000);
            held.getOutputStream().write(HELD_BACK);
            mark.connect(new InetSocketAddress(Net.LOOPBACK, markerPort), 5000);
            mark.setSoTimeout(20_000);
            mark.getOutputStream().write('m');
            int heldEnd = held.getInputStream().read();
            int markEnd = mark.getInputStream().read();
            return heldEnd < 0 && markEnd < 0 ? "both connections closed by the server"
                    : "the server sent bytes " + heldEnd + " and " + markEnd + " instead of closing";
        }
    }

    /** TCP-105: the bytes sent before the first pause, read as they come (they also let the peer's window grow). */
    static final int STREAMED = 1024 * 1024;
    /**
     * TCP-105's blocks, each sent whole while the connection is paused: powers of two, so that a reactor
     * whose read buffer is any power of two up to 128 KiB fills it exactly and then finds nothing.
     */
    static final int[] PAUSED_BLOCKS = {64 * 1024, 128 * 1024, 4 * 1024, 16 * 1024, 32 * 1024, 64 * 1024};
    /** The byte the server sends when it has paused and the peer may send the next block. */
    static final byte[] READY = {'r'};

    @Rule(id = "TCP-105", capability = Capability.TCP, value = "bytes that waited in the socket while a connection was "
            + "paused all arrive when it resumes, and the connection stays open: a read that fills the buffer followed "
            + "by one that finds nothing is not the end of input")
    @TrialTest
    Deferred<Void> aFullReadThenAnEmptyOneIsNotTheEnd(TrialContext test) {
        int total = STREAMED + IntStream.of(PAUSED_BLOCKS).sum();
        byte[] data = Bytes.pattern(total);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int ignored : PAUSED_BLOCKS) {
            sent.add(new CompletableFuture<>());
        }
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder(total));
        Object[] seen = new Object[2];
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            CompletableFuture<String> peer = Peer.run("block-writer", () -> sendInBlocks(Net.port(port), data, sent));
            // A peer that ends early (the server closed, or its write failed) sends no more blocks: say so.
            peer.whenComplete((said, error) -> sent.forEach(block -> block.completeExceptionally(new AssertionError(
                    "the peer stopped before sending every block: " + (error != null ? error : said)))));
            return factory.firstConnected().addDeferredCallback(protocol -> pauseAndResume(reactor, protocol, 0, sent)
                    .addDeferredCallback(ignored -> protocol.lost)
                    .addDeferredCallback(reason -> Poll.future(reactor, peer).addCallback(said -> {
                        seen[0] = reason;
                        seen[1] = said;
                        return protocol.received.toByteArray();
                    })));
        }).addVoidCallback(received -> {
            assertThat(received).as(Bytes.describe(data, received)).isEqualTo(data);
            assertThat(seen[0]).as("the reason connectionLost was given once the peer closed")
                    .isInstanceOf(ConnectionDone.class);
            assertThat(seen[1]).as("what the peer saw").isEqualTo("sent " + total + " bytes, then end of stream");
        });
    }

    /**
     * Waits until {@code protocol} has every byte sent before block {@code block}; then, outside
     * dataReceived so that the read which brought them has ended, pauses the transport, tells the
     * peer to send the block, and resumes once the peer's write of it has returned (on loopback the
     * block is then in the socket, or in the peer's buffer if the window was small).
     */
    private static Deferred<Void> pauseAndResume(Reactor reactor, Recorder protocol, int block,
            List<CompletableFuture<Void>> sent) {
        int before = STREAMED + IntStream.of(PAUSED_BLOCKS).limit(block).sum();
        Deferred<Void> arrived = protocol.receivedAtLeast(before).addDeferredCallback(all -> Tasks.deferLater(reactor,
                Duration.ZERO));
        if (block == PAUSED_BLOCKS.length) {
            return arrived;
        }
        return arrived.addDeferredCallback(ignored -> {
            if (protocol.lostReason != null) {
                throw new AssertionError("the connection was lost (" + protocol.lostReason.getClass().getSimpleName()
                        + ") once the first " + before + " bytes had arrived, though the peer had not closed: it was "
                        + "waiting to send " + (PAUSED_BLOCKS.length - block) + " more blocks");
            }
            protocol.transport().pauseProducing();
            protocol.transport().write(READY);
            return Poll.future(reactor, sent.get(block));
        }).addDeferredCallback(ignored -> {
            protocol.transport().resumeProducing();
            return pauseAndResume(reactor, protocol, block + 1, sent);
        });
    }

    /**
     * TCP-105's peer: streams the first {@link #STREAMED} bytes, then sends each of
     * {@link #PAUSED_BLOCKS} in one write when the server says it is ready, completing {@code sent}'s
     * future for it; then closes its side and reads to the end. Says how it ended.
     */
    private static String sendInBlocks(int port, byte[] data, List<CompletableFuture<Void>> sent) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setSendBufferSize(512 * 1024); // a block never waits for the paused reader to make room
            socket.connect(new InetSocketAddress(Net.LOOPBACK, port), 5000);
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(data, 0, STREAMED);
            int at = STREAMED;
            for (int i = 0; i < PAUSED_BLOCKS.length; i++) {
                int ready = in.read();
                if (ready != READY[0]) {
                    return "sent " + at + " bytes, then " + (ready < 0 ? "end of stream" : "byte " + ready)
                            + " instead of the server's ready byte";
                }
                out.write(data, at, PAUSED_BLOCKS[i]);
                at += PAUSED_BLOCKS[i];
                sent.get(i).complete(null);
            }
            socket.shutdownOutput();
            int after = in.read();
            return "sent " + at + " bytes, then " + (after < 0 ? "end of stream" : "byte " + after);
        }
    }

    @Rule(id = "TCP-48", capability = Capability.TCP, value = "a server whose peer never reads keeps serving its other "
            + "clients; its writes wait in its buffer")
    @TrialTest
    Deferred<Void> aPeerThatNeverReadsDoesNotBlockOthers(TrialContext test) {
        byte[] lots = Bytes.pattern(4 * 1024 * 1024);
        List<Recorder> served = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, address -> {
                Recorder r = new Recorder() {
                    @Override
                    public void connectionMade() {
                        super.connectionMade();
                        if (served.isEmpty()) {
                            transport().write(lots); // to the client that never reads
                        } else {
                            send("served anyway");
                            transport().loseConnection();
                        }
                        served.add(this);
                    }
                };
                return r;
            });
            FakeClient.to(Net.LOOPBACK, Net.port(port)).neverRead().timeout(Duration.ofSeconds(20)).start();
            return Poll.until(reactor, () -> served.size() == 1).addDeferredCallback(ignored -> Poll.future(reactor,
                    FakeClient.to(Net.LOOPBACK, Net.port(port)).start().finished())).addCallback(record -> {
                        served.get(0).transport().abortConnection();
                        return record;
                    });
        }).addVoidCallback(other -> {
            assertThat(other.receivedText()).as("what the other client was served").isEqualTo("served anyway");
        });
    }

    private static PushProducer idle(List<String> events, String name) {
        return new PushProducer() {
            @Override
            public void pauseProducing() {
            }

            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
                events.add(name + " stopped");
            }
        };
    }
}
