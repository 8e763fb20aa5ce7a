package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static dev.twine.reactor.nio.TcpTest.port;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.ChunkProducer;
import dev.twine.testing.Echo;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerTest {
    private final Harness harness = new Harness();

    @Test
    void aStreamingProducerIsPausedPastTheHighWaterMarkAndResumedWhenDrained() {
        int total = 4 * 1024 * 1024;
        ChunkProducer[] producer = new ChunkProducer[1];
        Deferred<Recorder> readerPaused = new Deferred<>();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().pauseProducing(); // read nothing until told, so the server's buffer fills
                readerPaused.callback(this);
            }
        });
        Integer received = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, address -> new Protocol() {
                @Override
                public void connectionMade() {
                    producer[0] = new ChunkProducer(reactor, transport(), new byte[16 * 1024], total, ChunkProducer.Writing.WRITE_LATER);
                    transport().registerProducer(producer[0], true);
                    producer[0].produce();
                }
            }, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder reader = await(readerPaused);
            // Order, not time: the producer must be paused before it has written everything, while
            // the peer reads nothing. (Whether it is still paused some milliseconds later depends on
            // how much the kernel's socket buffers take meanwhile.)
            long writtenAtFirstPause = await(producer[0].firstPause);
            assertThat(writtenAtFirstPause).as("bytes written when first paused, of " + total).isLessThan(total);
            reader.transport().resumeProducing();
            assertThat(await(client.lost)).isInstanceOf(ConnectionDone.class);
            return reader.received.size();
        }));
        assertThat(received).isEqualTo(total);
        assertThat(producer[0].events).contains("pause", "resume");
        assertThat(producer[0].events.get(0)).isEqualTo("pause");
    }

    @Test
    void aPullProducerIsAskedForMoreEachTimeTheBufferEmptiesAndCloseWaitsForIt() {
        List<String> asked = new ArrayList<>();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        String text = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, address -> new Protocol() {
                @Override
                public void connectionMade() {
                    transport().loseConnection(); // must wait until the producer unregisters
                    transport().registerProducer(new PullProducer() {
                        int n;

                        @Override
                        public void resumeProducing() {
                            asked.add("asked " + n);
                            if (n == 5) {
                                transport().unregisterProducer();
                                return;
                            }
                            transport().write(("part" + n++ + ";").getBytes(UTF_8));
                        }

                        @Override
                        public void stopProducing() {
                            asked.add("stopped");
                        }
                    }, false);
                }
            }, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder reader = await(client.built);
            await(client.lost);
            return reader.text();
        }));
        assertThat(text).isEqualTo("part0;part1;part2;part3;part4;");
        assertThat(asked).containsExactly("asked 0", "asked 1", "asked 2", "asked 3", "asked 4", "asked 5");
    }

    @Test
    void registeringOnAClosedTransportStopsTheProducerAndTwoProducersAreRefused() {
        List<String> events = new ArrayList<>();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, dev.twine.protocol.ProtocolFactory.forProtocol(Echo::new), 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder protocol = await(client.built);
            await(protocol.connected);
            PushProducer first = new PushProducer() {
                @Override
                public void pauseProducing() {
                }

                @Override
                public void resumeProducing() {
                }

                @Override
                public void stopProducing() {
                    events.add("first stopped");
                }
            };
            protocol.transport().registerProducer(first, true);
            assertThatThrownBy(() -> protocol.transport().registerProducer(first, true)).isInstanceOf(IllegalStateException.class);
            protocol.transport().loseConnection();
            await(protocol.lost);
            assertThat(events).containsExactly("first stopped");
            protocol.transport().registerProducer(new PushProducer() {
                @Override
                public void pauseProducing() {
                }

                @Override
                public void resumeProducing() {
                }

                @Override
                public void stopProducing() {
                    events.add("late producer stopped at once");
                }
            }, true);
            return null;
        }));
        assertThat(events).containsExactly("first stopped", "late producer stopped at once");
    }

    @Test
    void pausingTheTransportStopsReading() {
        List<Recorder> servers = new ArrayList<>();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        List<Integer> sizes = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, a -> {
                Recorder r = new Recorder() {
                    @Override
                    public void connectionMade() {
                        super.connectionMade();
                        transport().pauseProducing();
                    }
                };
                servers.add(r);
                return r;
            }, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder c = await(client.built);
            await(c.connected);
            c.send("held back");
            Deferred<Void> settle = new Deferred<>();
            reactor.callLater(Duration.ofMillis(30), () -> settle.callback(null));
            await(settle);
            int whilePaused = servers.get(0).received.size();
            servers.get(0).transport().resumeProducing();
            await(servers.get(0).receivedAtLeast(9));
            return List.of(whilePaused, servers.get(0).received.size());
        }));
        assertThat(sizes).containsExactly(0, 9);
    }
}
