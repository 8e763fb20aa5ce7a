package dev.twine.reactor.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServers;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.task.Tasks;
import dev.twine.trial.Timeout;
import dev.twine.trial.Trial;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** The netty reactor under bad input and faults: each fault reaches the right object, and nothing else is lost. */
class NettyReactorFaultsTest {

    private static int port(ListeningPort port) {
        return ((IPv4Address) port.getHost()).port();
    }

    /** A server protocol that answers "ok" to its first bytes and records how it ended. */
    static class Answering extends Protocol {
        /** Fires with the reason's exception (a Failure would go down the errback side). */
        final Deferred<Throwable> lost = new Deferred<>();
        final StringBuilder received = new StringBuilder();

        @Override
        public void dataReceived(byte[] data) {
            if (received.length() == 0) {
                transport().write("ok".getBytes(StandardCharsets.US_ASCII));
            }
            received.append(new String(data, StandardCharsets.US_ASCII));
        }

        @Override
        public void connectionLost(Failure reason) {
            lost.callback(reason.value());
        }
    }

    @TrialTest
    Deferred<Void> aPeerThatResetsMidStreamIsConnectionLost(Reactor reactor, TrialContext test) {
        List<Answering> accepted = new ArrayList<>();
        ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> {
            Answering protocol = new Answering();
            accepted.add(protocol);
            return protocol;
        }), 50, "127.0.0.1");
        test.addCleanup(port::stopListening);
        FakeClient client = FakeClient.to("127.0.0.1", port(port)).send("half a frame").awaitReceived(2).reset().start();
        return Deferred.fromCompletionStage(client.finished(), reactor::callFromThread).addDeferredCallback(record -> {
            assertThat(accepted).hasSize(1);
            return accepted.get(0).lost;
        }).addVoidCallback(reason -> {
            assertThat(reason).isInstanceOf(ConnectionLost.class);
            assertThat(accepted.get(0).received.toString()).isEqualTo("half a frame");
        });
    }

    @TrialTest
    Deferred<Void> aThrowingCallbackClosesOnlyItsConnectionAndIsLogged(Reactor reactor, TrialContext test) {
        List<Answering> accepted = new ArrayList<>();
        ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> {
            Answering protocol = accepted.isEmpty() ? new Answering() {
                @Override
                public void dataReceived(byte[] data) {
                    throw new IllegalStateException("a protocol that fails on its input");
                }
            } : new Answering();
            accepted.add(protocol);
            return protocol;
        }), 50, "127.0.0.1");
        test.addCleanup(port::stopListening);
        CompletableFuture<ClientRecord> failing = FakeClient.to("127.0.0.1", port(port)).send("boom").start().finished();
        return Deferred.fromCompletionStage(failing, reactor::callFromThread).addDeferredCallback(first -> {
            Deferred<Throwable> firstLost = accepted.get(0).lost;
            FakeClient second = FakeClient.to("127.0.0.1", port(port)).send("hello").awaitReceived(2).close().start();
            return Deferred.fromCompletionStage(second.finished(), reactor::callFromThread).addDeferredCallback(record -> {
                assertThat(new String(record.received(), StandardCharsets.US_ASCII)).isEqualTo("ok");
                return accepted.get(1).lost;
            }).addVoidCallback(secondReason -> {
                assertThat(secondReason).isInstanceOf(ConnectionDone.class);
                assertThat(firstLost.isCalled()).isTrue();
                assertThat(Trial.successResultOf(firstLost)).isInstanceOf(IllegalStateException.class);
                assertThat(test.flushLoggedErrors(IllegalStateException.class)).hasSize(1);
            });
        });
    }

    @TrialTest
    @Timeout(10) // "promptly": far below the 30 s connect timeout the attempt runs with
    Deferred<Void> aRefusedConnectFailsPromptly(Reactor reactor) throws IOException {
        int closed = FakeServers.closedPort();
        Deferred<Throwable> failed = new Deferred<>();
        reactor.connectTCP("127.0.0.1", closed, new ClientFactory() {
            @Override
            public Protocol buildProtocol(dev.twine.reactor.Address address) {
                return new Protocol() {
                };
            }

            @Override
            public void clientConnectionFailed(Connector connector, Failure reason) {
                failed.callback(reason.value());
            }
        });
        return failed.addVoidCallback(reason -> {
            assertThat(reason).isInstanceOf(ConnectionRefusedException.class);
        });
    }

    @TrialTest
    @Timeout(60)
    Deferred<Void> aThousandConnectionsLeaveNoDescriptorOrThread(Reactor reactor, TrialContext test) {
        long descriptorsBefore = openDescriptors();
        int threadsBefore = Thread.activeCount();
        ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Answering::new), 50, "127.0.0.1");
        Deferred<Void> all = Deferred.succeed(null);
        for (int batch = 0; batch < 20; batch++) {
            all = all.addDeferredCallback(ignored -> connectBatch(reactor, port(port), 50));
        }
        return all.addDeferredCallback(ignored -> port.stopListening())
                // A closed socket's descriptor is released once the selector has run again.
                .addDeferredCallback(ignored -> Tasks.deferLater(reactor, Duration.ofMillis(1), () -> null))
                .addVoidCallback(ignored -> {
                    assertThat(openDescriptors()).as("open descriptors after 1,000 connections").isLessThanOrEqualTo(descriptorsBefore);
                    assertThat(Thread.activeCount()).as("threads after 1,000 connections").isLessThanOrEqualTo(threadsBefore);
                });
    }

    /** Opens {@code count} connections at once, each writing, reading "ok" and closing; fires when all are lost. */
    private static Deferred<Void> connectBatch(Reactor reactor, int port, int count) {
        List<Deferred<Throwable>> ends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Deferred<Throwable> end = new Deferred<>();
            ends.add(end);
            reactor.connectTCP("127.0.0.1", port, new ClientFactory() {
                @Override
                public Protocol buildProtocol(dev.twine.reactor.Address address) {
                    return new Protocol() {
                        @Override
                        public void connectionMade() {
                            transport().write(new byte[] {'x'});
                        }

                        @Override
                        public void dataReceived(byte[] data) {
                            transport().loseConnection();
                        }
                    };
                }

                @Override
                public void clientConnectionFailed(Connector connector, Failure reason) {
                    end.errback(reason);
                }

                @Override
                public void clientConnectionLost(Connector connector, Failure reason) {
                    end.callback(reason.value());
                }
            });
        }
        return DeferredList.gatherResults(ends).addVoidCallback(reasons -> {
            assertThat(reasons).allMatch(ConnectionDone.class::isInstance);
        });
    }

    private static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot count open descriptors (Linux's /proc/self/fd)", e);
        }
    }
}
