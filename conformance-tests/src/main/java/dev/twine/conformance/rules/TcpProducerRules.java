package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingServerFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Producers and consumers on TCP transports: flow control, as Twisted's producer tests check it. */
public class TcpProducerRules extends RuleSet {

    /** Writes 16 KiB chunks while not paused, until it has written {@code total}, then unregisters and closes. */
    static final class ChunkProducer implements PushProducer {
        final Recorder protocol;
        final Reactor reactor;
        final List<String> events = new ArrayList<>();
        final int total;
        int written;
        int writtenAtFirstPause = -1;
        boolean paused;
        boolean stopped;

        ChunkProducer(Reactor reactor, Recorder protocol, int total) {
            this.reactor = reactor;
            this.protocol = protocol;
            this.total = total;
        }

        void produce() {
            while (!paused && !stopped && written < total) {
                protocol.transport().write(Bytes.pattern(16 * 1024));
                written += 16 * 1024;
            }
            if (written >= total && !stopped) {
                stopped = true;
                protocol.transport().unregisterProducer();
                protocol.transport().loseConnection();
            }
        }

        @Override
        public void pauseProducing() {
            if (writtenAtFirstPause < 0) {
                writtenAtFirstPause = written;
            }
            events.add("pause");
            paused = true;
        }

        @Override
        public void resumeProducing() {
            events.add("resume");
            paused = false;
            reactor.callLater(Duration.ZERO, this::produce);
        }

        @Override
        public void stopProducing() {
            events.add("stop");
            stopped = true;
        }
    }

    /** A peer that connects, reads nothing until {@code go} completes, then reads to the end; returns the byte count. */
    static CompletableFuture<Long> slowReader(int port, CompletableFuture<Void> go) {
        return Peer.run("slow-reader", () -> {
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(16 * 1024);
                socket.connect(new InetSocketAddress(Net.LOOPBACK, port), 5000);
                go.get(30, TimeUnit.SECONDS);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                }
                return total;
            }
        });
    }

    @Rule(id = "TCP-43", capability = Capability.TCP, value = "a streaming producer is paused once the transport buffers "
            + "more than its high-water mark for a peer that does not read, and resumed when the buffer drains")
    @TrialTest
    void aStreamingProducerIsThrottled(TrialContext test) {
        int total = 8 * 1024 * 1024;
        ChunkProducer[] producer = new ChunkProducer[1];
        CompletableFuture<Void> go = new CompletableFuture<>();
        long received = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, address -> new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    producer[0] = new ChunkProducer(reactor, this, total);
                    transport().registerProducer(producer[0], true);
                    producer[0].produce();
                }
            });
            CompletableFuture<Long> reader = slowReader(Net.port(port), go);
            // No snapshot "still paused a moment later": the kernel's socket buffers grow while the
            // peer does not read (autotuning), so a reactor may rightly resume and pause again.
            return Poll.until(reactor, () -> producer[0] != null && producer[0].paused)
                    .addDeferredCallback(ignored -> {
                        go.complete(null);
                        return Poll.future(reactor, reader);
                    });
        });
        assertThat(producer[0].writtenAtFirstPause).as("bytes written when first paused, of %d", total)
                .isPositive().isLessThan(total);
        assertThat(received).as("bytes the peer read").isEqualTo(total);
        assertThat(producer[0].events).as("what the producer was told").startsWith("pause").contains("resume");
    }

    @Rule(id = "TCP-44", capability = Capability.TCP, value = "a pull producer is asked for more each time the buffer "
            + "empties, and loseConnection waits for it to unregister")
    @TrialTest
    void aPullProducerIsAskedForMore(TrialContext test) {
        List<String> asked = new ArrayList<>();
        ClientRecord seen = Rut.run(test, reactor -> {
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
            return Poll.finished(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start());
        });
        assertThat(seen.receivedText()).isEqualTo("part0;part1;part2;part3;part4;");
        assertThat(asked).containsExactly("asked 0", "asked 1", "asked 2", "asked 3", "asked 4", "asked 5");
    }

    @Rule(id = "TCP-45", capability = Capability.TCP, value = "registering a second producer on a transport throws "
            + "IllegalStateException")
    @TrialTest
    void oneProducerAtATime(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).start();
            return factory.firstConnected().addDeferredCallback(protocol -> {
                protocol.transport().registerProducer(idle(new ArrayList<>(), "first"), true);
                assertThatThrownBy(() -> protocol.transport().registerProducer(idle(new ArrayList<>(), "second"), true))
                        .isInstanceOf(IllegalStateException.class);
                protocol.transport().unregisterProducer();
                protocol.transport().loseConnection();
                return protocol.lost;
            });
        });
    }

    @Rule(id = "TCP-46", capability = Capability.TCP, value = "a streaming producer still registered when the "
            + "connection closes is told stopProducing, and one registered on a closed transport is told at once")
    @TrialTest
    void producersAreStoppedByTheClose(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        List<String> events = new ArrayList<>();
        Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).start();
            return factory.firstConnected().addDeferredCallback(protocol -> {
                protocol.transport().registerProducer(idle(events, "registered while open"), true);
                protocol.transport().loseConnection();
                return protocol.lost.addCallback(reason -> {
                    events.add("connectionLost");
                    protocol.transport().registerProducer(idle(events, "registered after the close"), true);
                    return null;
                });
            });
        });
        assertThat(events).containsExactly("registered while open stopped", "connectionLost",
                "registered after the close stopped");
    }

    @Rule(id = "TCP-47", capability = Capability.TCP, value = "pauseProducing on a transport stops dataReceived until "
            + "resumeProducing; nothing is lost")
    @TrialTest
    void pausingTheTransportStopsReading(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().pauseProducing();
            }
        });
        List<Integer> sizes = Rut.run(test, reactor -> {
            ListeningPort port = TcpServerRules.listen(reactor, factory);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).send("held back until resumed").start();
            return factory.firstConnected().addDeferredCallback(protocol -> Poll.sleep(reactor, Duration.ofMillis(40))
                    .addDeferredCallback(ignored -> {
                        int whilePaused = protocol.received.size();
                        protocol.transport().resumeProducing();
                        return protocol.receivedAtLeast(23).addCallback(all -> {
                            protocol.transport().loseConnection();
                            return List.of(whilePaused, all.length);
                        });
                    }));
        });
        assertThat(sizes).as("bytes received while paused, then after resuming").containsExactly(0, 23);
    }

    @Rule(id = "TCP-48", capability = Capability.TCP, value = "a server whose peer never reads keeps serving its other "
            + "clients; its writes wait in its buffer")
    @TrialTest
    void aPeerThatNeverReadsDoesNotBlockOthers(TrialContext test) {
        byte[] lots = Bytes.pattern(4 * 1024 * 1024);
        List<Recorder> served = new ArrayList<>();
        ClientRecord other = Rut.run(test, reactor -> {
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
            return Poll.until(reactor, () -> served.size() == 1).addDeferredCallback(ignored -> Poll.finished(reactor,
                    FakeClient.to(Net.LOOPBACK, Net.port(port)).start())).addCallback(record -> {
                        served.get(0).transport().abortConnection();
                        return record;
                    });
        });
        assertThat(other.receivedText()).isEqualTo("served anyway");
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
