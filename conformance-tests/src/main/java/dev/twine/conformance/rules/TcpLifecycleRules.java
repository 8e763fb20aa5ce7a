package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.conformance.harness.TcpPeers;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.Producer;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Echo;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/**
 * A connection's life as Twisted's reactor tests hold it: reading stops at loseConnection, a
 * paused transport still learns that its peer has gone, the reactor lets go of closed protocols,
 * one protocol's failing connectionLost does not cost the others theirs, and the arrays passed
 * across write and dataReceived belong to whoever holds them afterwards.
 */
@API(status = INTERNAL, since = "0.1")
public class TcpLifecycleRules extends RuleSet {

    @Rule(id = "TCP-70", capability = Capability.TCP, value = "reading stops at loseConnection: bytes the peer sends "
            + "afterwards never reach dataReceived, and nothing is called after connectionLost")
    @TrialTest
    Deferred<Void> noDataReceivedAfterLoseConnection(TrialContext test) {
        List<String> late = new ArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            boolean closing;

            @Override
            public void dataReceived(byte[] data) {
                if (lost.isCalled()) {
                    late.add("dataReceived(" + data.length + " bytes) after connectionLost");
                } else if (closing) {
                    late.add("dataReceived(\"" + new String(data, StandardCharsets.UTF_8) + "\") after loseConnection");
                }
                super.dataReceived(data);
                if (!closing) {
                    closing = true;
                    send("bye");
                    transport().loseConnection();
                }
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            CompletableFuture<String> peer = Peer.run("sends-after-close", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    socket.getOutputStream().write(Bytes.utf8("hello"));
                    TcpPeers.Seen seen = TcpPeers.readToEnd(socket); // the server's "bye", then its close
                    try {
                        socket.getOutputStream().write(Bytes.utf8("after the close"));
                        socket.shutdownOutput();
                    } catch (java.io.IOException closedAlready) {
                        // the server has gone for good: what it must do
                    }
                    return seen.ending();
                }
            });
            return Poll.future(reactor, peer).addDeferredCallback(ending -> factory.first)
                    .addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(ignored -> {
            Recorder protocol = factory.protocols.get(0);
            assertThat(late).as("callbacks after loseConnection or connectionLost").isEmpty();
            assertThat(protocol.text()).as("what dataReceived was given").isEqualTo("hello");
            assertThat(protocol.lostReason).as("the reason connectionLost was given").isInstanceOf(ConnectionDone.class);
        });
    }

    @Rule(id = "TCP-71", capability = Capability.TCP, value = "a transport paused when its peer closes hears "
            + "connectionLost once it is resumed, after the bytes sent before the close")
    @TrialTest
    Deferred<Void> aPausedTransportHearsTheCloseWhenResumed(TrialContext test) {
        CompletableFuture<?>[] peer = new CompletableFuture<?>[1];
        Reactor[] under = new Reactor[1];
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (!events.contains("paused")) {
                    events.add("paused");
                    transport().pauseProducing();
                    Poll.future(under[0], peer[0]).addVoidCallback(closed -> {
                        events.add("resumed");
                        transport().resumeProducing();
                    });
                }
            }
        });
        return Rut.start(test, reactor -> {
            under[0] = reactor;
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            peer[0] = Peer.run("sends-and-closes", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    socket.getOutputStream().write(Bytes.utf8("some bytes for you"));
                }
                return null;
            });
            return factory.first.addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(reason -> {
            Recorder protocol = factory.protocols.get(0);
            assertThat(protocol.events).as("what the paused protocol heard")
                    .containsExactly("connectionMade", "dataReceived", "paused", "resumed", "connectionLost:ConnectionDone");
            assertThat(protocol.text()).isEqualTo("some bytes for you");
        });
    }

    @Rule(id = "TCP-72", capability = Capability.TCP, value = "a transport paused when its peer resets learns of it "
            + "through its next writes: connectionLost with ConnectionLost")
    @TrialTest
    Deferred<Void> aPausedTransportLearnsOfAResetByWriting(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().pauseProducing();
                send("paused");
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            CompletableFuture<Void> peer = Peer.run("resets", () -> {
                Socket socket = new Socket(Net.LOOPBACK, Net.port(port));
                TcpPeers.readExactly(socket, 6);
                TcpPeers.reset(socket);
                return null;
            });
            return Poll.future(reactor, peer).addDeferredCallback(reset -> factory.first).addDeferredCallback(protocol -> {
                byte[] chunk = Bytes.pattern(1024);
                DelayedCall[] next = new DelayedCall[1];
                Runnable[] write = new Runnable[1];
                write[0] = () -> {
                    if (!protocol.lost.isCalled()) {
                        protocol.transport().write(chunk);
                        next[0] = reactor.callLater(Duration.ofMillis(2), write[0]);
                    }
                };
                write[0].run();
                return protocol.lost.addCallback(reason -> {
                    if (next[0] != null && next[0].isActive()) {
                        next[0].cancel();
                    }
                    return reason;
                });
            });
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason a paused transport whose peer reset was given")
                    .isInstanceOf(ConnectionLost.class).isNotInstanceOf(ConnectionDone.class);
        });
    }

    /** A client factory that keeps only a weak reference to the protocol it builds. */
    static final class ForgetfulFactory implements ClientFactory {
        WeakReference<Protocol> built;
        final Deferred<Void> over = new Deferred<>();

        @Override
        public Protocol buildProtocol(Address address) {
            Protocol protocol = new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write(Bytes.utf8("goodbye"));
                    transport().loseConnection();
                }
            };
            built = new WeakReference<>(protocol);
            return protocol;
        }

        @Override
        public void clientConnectionLost(Connector connector, Failure reason) {
            over.callback(null);
        }

        @Override
        public void clientConnectionFailed(Connector connector, Failure reason) {
            over.errback(reason);
        }
    }

    @Rule(id = "TCP-73", capability = Capability.TCP, value = "once a connection is closed the reactor keeps no "
            + "reference to its protocol: it can be garbage-collected while the reactor runs")
    @TrialTest
    Deferred<Void> noReferenceToAClosedProtocol(TrialContext test) {
        ForgetfulFactory factory = new ForgetfulFactory();
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), factory);
            return factory.over.addDeferredCallback(lost -> server.first).addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(lost -> collected(reactor, factory.built, 20));
        }).addVoidCallback(collections -> {
            assertThat(collections).as("the reactor still references the protocol of a closed connection after "
                    + "that many garbage collections").isLessThan(20);
        });
    }

    /** Fires with how many collections it took for {@code ref} to clear, or {@code tries} if it never did. */
    private static Deferred<Integer> collected(Reactor reactor, WeakReference<?> ref, int tries) {
        Deferred<Integer> result = new Deferred<>();
        int[] done = new int[1];
        Runnable[] attempt = new Runnable[1];
        attempt[0] = () -> {
            System.gc();
            if (ref.get() == null) {
                result.callback(done[0]);
            } else if (++done[0] >= tries) {
                result.callback(tries);
            } else {
                reactor.callLater(Duration.ofMillis(5), attempt[0]);
            }
        };
        reactor.callLater(Duration.ZERO, attempt[0]); // one turn first, for follow-ups the reactor runs after connectionLost
        return result;
    }

    /** A protocol whose connectionLost throws, after noting that it was called. */
    static final class ThrowsWhenLost extends Recorder {
        @Override
        public void connectionLost(Failure reason) {
            super.connectionLost(reason);
            throw new IllegalStateException("a connectionLost that throws (on purpose)");
        }
    }

    @Rule(id = "TCP-74", capability = Capability.TCP, value = "when the reactor stops with connections open, every "
            + "protocol hears connectionLost once, even when another's connectionLost throws; the errors are logged")
    @TrialTest
    Deferred<Void> aThrowingConnectionLostDoesNotStopTheOthers(TrialContext test) {
        int[] built = new int[1];
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(
                () -> built[0]++ % 2 == 0 ? new ThrowsWhenLost() : new Recorder());
        List<RecordingClientFactory<Recorder>> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(new RecordingClientFactory<>(Recorder::new));
        }
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            List<Deferred<Recorder>> up = new ArrayList<>();
            for (RecordingClientFactory<Recorder> client : clients) {
                reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
                up.add(client.built.addDeferredCallback(protocol -> protocol.connected));
            }
            // the reactor stops once every client is connected and every server protocol is built
            return DeferredList.gatherResults(up).addDeferredCallback(all -> Poll.until(reactor,
                    () -> server.protocols.size() == 3 && server.protocols.stream().allMatch(p -> p.connected.isCalled())));
        }).addVoidCallback(ignored -> {
            List<Failure> logged = test.flushLoggedErrors(IllegalStateException.class);
            List<String> calls = new ArrayList<>();
            for (Recorder protocol : server.protocols) {
                calls.add((protocol instanceof ThrowsWhenLost ? "throwing " : "plain ") + protocol.lostCalls);
            }
            for (RecordingClientFactory<Recorder> client : clients) {
                calls.add("client " + client.protocols.get(0).lostCalls);
            }
            assertThat(calls).as("connectionLost calls heard at shutdown (a protocol never told \"0\")")
                    .containsExactly("throwing 1", "plain 1", "throwing 1", "client 1", "client 1", "client 1");
            assertThat(logged).as("the connectionLost errors that were logged").hasSize(2);
        });
    }

    @Rule(id = "TCP-86", capability = Capability.TCP, value = "when the reactor stops while connections are closing "
            + "(loseConnection with bytes still buffered, abortConnection just called), each protocol hears "
            + "connectionLost once")
    @TrialTest
    Deferred<Void> stopMeetsClosingConnections(TrialContext test) {
        int[] built = new int[1];
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            final boolean first = built[0]++ == 0;

            @Override
            public void connectionMade() {
                super.connectionMade();
                if (first) {
                    transport().write(Bytes.pattern(8 * 1024 * 1024)); // more than a peer that does not read takes
                    transport().loseConnection();
                }
            }
        });
        List<RecordingClientFactory<Recorder>> clients = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            clients.add(new RecordingClientFactory<>(() -> new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    transport().pauseProducing(); // a peer that does not read
                }
            }));
        }
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            List<Deferred<Recorder>> up = new ArrayList<>();
            for (RecordingClientFactory<Recorder> client : clients) {
                reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
                up.add(client.built.addDeferredCallback(protocol -> protocol.connected));
            }
            return DeferredList.gatherResults(up).addDeferredCallback(all -> Poll.until(reactor,
                    () -> server.protocols.size() == 2 && server.protocols.stream().allMatch(p -> p.connected.isCalled())))
                    .addCallback(ready -> {
                        server.protocols.get(1).transport().abortConnection(); // the reactor stops right after this
                        return ready;
                    });
        }).addVoidCallback(ignored -> {
            List<String> calls = new ArrayList<>();
            calls.add("closing server " + server.protocols.get(0).lostCalls);
            calls.add("aborted server " + server.protocols.get(1).lostCalls);
            for (RecordingClientFactory<Recorder> client : clients) {
                calls.add("client " + client.protocols.get(0).lostCalls);
            }
            assertThat(calls).as("connectionLost calls at shutdown, for connections that were closing when the "
                    + "reactor stopped").containsExactly("closing server 1", "aborted server 1", "client 1", "client 1");
        });
    }

    @Rule(id = "TCP-75", capability = Capability.TCP, value = "stopListening closes only the port: a connection it "
            + "accepted stays open and keeps exchanging bytes both ways")
    @TrialTest
    Deferred<Void> stopListeningKeepsAcceptedConnections(TrialContext test) {
        RecordingServerFactory<Echo> server = new RecordingServerFactory<>(Echo::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        boolean[] lostBeforeEcho = new boolean[1];
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
            return server.firstConnected().addDeferredCallback(accepted -> port.stopListening())
                    .addDeferredCallback(stopped -> client.built).addDeferredCallback(protocol -> {
                        protocol.send("still here");
                        return protocol.receivedAtLeast(10).addVoidBoth((echoed, failure) -> {
                            lostBeforeEcho[0] = server.protocols.get(0).lost.isCalled();
                            protocol.transport().loseConnection();
                        });
                    }).addDeferredCallback(echoed -> server.protocols.get(0).lost);
        }).addVoidCallback(reason -> {
            assertThat(lostBeforeEcho[0]).as("stopListening closed a connection the port had accepted").isFalse();
            assertThat(client.protocols.get(0).text()).as("the echo through the accepted connection").isEqualTo("still here");
            assertThat(reason).as("how the accepted connection ended when its client closed it")
                    .isInstanceOf(ConnectionDone.class);
        });
    }

    /** A producer that is only a push producer, and one that is only a pull producer. */
    private static final class OnlyPush implements PushProducer {
        @Override
        public void pauseProducing() {
        }

        @Override
        public void resumeProducing() {
        }

        @Override
        public void stopProducing() {
        }
    }

    private static final class OnlyPull implements PullProducer {
        int resumes;

        @Override
        public void resumeProducing() {
            resumes++;
        }

        @Override
        public void stopProducing() {
        }
    }

    @Rule(id = "TCP-76", capability = Capability.TCP, value = "registerProducer refuses a producer of the wrong kind "
            + "(a push producer as non-streaming, a pull producer as streaming) with IllegalArgumentException, and "
            + "leaves none registered")
    @TrialTest
    Deferred<Void> aProducerOfTheWrongKindIsRefused(TrialContext test) {
        List<String> outcomes = new ArrayList<>();
        OnlyPull right = new OnlyPull();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                outcomes.add("push as non-streaming: " + register(new OnlyPush(), false));
                outcomes.add("pull as streaming: " + register(new OnlyPull(), true));
                outcomes.add("pull as non-streaming: " + register(right, false));
                transport().unregisterProducer();
                transport().loseConnection();
            }

            private String register(Producer producer, boolean streaming) {
                try {
                    transport().registerProducer(producer, streaming);
                    return "accepted";
                } catch (IllegalArgumentException e) {
                    return "refused: IllegalArgumentException" + (e.getMessage() == null || e.getMessage().isBlank()
                            ? " without a message" : "");
                } catch (RuntimeException e) {
                    return "refused: " + e.getClass().getSimpleName();
                }
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            TcpPeers.client("reads", Net.port(port), new byte[0]);
            return factory.first.addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(reason -> {
            assertThat(outcomes).as("registerProducer accepted a producer of the wrong kind, or refused it unclearly")
                    .containsExactly("push as non-streaming: refused: IllegalArgumentException",
                            "pull as streaming: refused: IllegalArgumentException", "pull as non-streaming: accepted");
            assertThat(right.resumes).as("resumeProducing calls of the pull producer registered after the refusals")
                    .isGreaterThanOrEqualTo(1);
        });
    }

    @Rule(id = "TCP-77", capability = Capability.TCP, value = "write and writeSequence do not keep the caller's arrays: "
            + "changing them after the call does not change what is sent")
    @TrialTest
    Deferred<Void> theCallersWriteArrayIsNotKept(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                byte[] one = Bytes.utf8("one,");
                transport().write(one);
                Arrays.fill(one, (byte) '#');
                byte[] two = Bytes.utf8("two,");
                byte[] three = Bytes.utf8("three,");
                List<byte[]> pieces = new ArrayList<>(List.of(two, three));
                transport().writeSequence(pieces);
                Arrays.fill(two, (byte) '#');
                Arrays.fill(three, (byte) '#');
                pieces.clear();
                byte[] four = Bytes.utf8("four");
                ByteBuffer buffer = ByteBuffer.wrap(four);
                transport().write(buffer);
                Arrays.fill(four, (byte) '#');
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            return Poll.future(reactor, TcpPeers.client("reads", Net.port(port), new byte[0]));
        }).addVoidCallback(seen -> {
            assertThat(new String(seen.bytes(), StandardCharsets.UTF_8))
                    .as("what the peer received when the protocol changed its arrays after write returned")
                    .isEqualTo("one,two,three,four");
        });
    }

    @Rule(id = "TCP-78", capability = Capability.TCP, value = "the array given to dataReceived is the protocol's to "
            + "keep: later reads do not change it")
    @TrialTest
    Deferred<Void> theDataReceivedArrayIsTheProtocols(TrialContext test) {
        String sent = "abcdefghijklmnopqrstuvwxyz";
        List<byte[]> kept = new ArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                kept.add(data);
                transport().write(new byte[] {'.'});
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            CompletableFuture<Void> peer = Peer.run("one-byte-at-a-time", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    for (byte b : Bytes.utf8(sent)) {
                        socket.getOutputStream().write(b);
                        TcpPeers.readExactly(socket, 1); // each byte is read on its own before the next is sent
                    }
                }
                return null;
            });
            return Poll.future(reactor, peer).addDeferredCallback(done -> factory.first)
                    .addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(reason -> {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            kept.forEach(joined::writeBytes);
            assertThat(joined.toString(StandardCharsets.UTF_8))
                    .as("the arrays dataReceived was given, as the protocol kept them (changed after dataReceived "
                            + "returned if they differ from what was sent)").isEqualTo(sent);
        });
    }

    /** A streaming producer that writes {@code size} bytes each time it is resumed, up to {@code rounds} times. */
    static final class WritesWhenResumed implements PushProducer {
        final Recorder protocol;
        final int size;
        final int rounds;
        final List<String> actions = new ArrayList<>();
        boolean inResume;
        boolean paused;

        WritesWhenResumed(Recorder protocol, int size, int rounds) {
            this.protocol = protocol;
            this.size = size;
            this.rounds = rounds;
        }

        @Override
        public void pauseProducing() {
            actions.add(inResume ? "pause inside resume" : "pause");
            paused = true;
        }

        @Override
        public void resumeProducing() {
            actions.add("resume");
            paused = false;
            long resumes = actions.stream().filter(a -> a.equals("resume")).count();
            if (resumes < rounds) {
                inResume = true;
                try {
                    protocol.transport().write(Bytes.pattern(size));
                } finally {
                    inResume = false;
                }
            }
        }

        @Override
        public void stopProducing() {
            actions.add("stop");
        }
    }

    @Rule(id = "TCP-79", capability = Capability.TCP, value = "a streaming producer that writes past the high-water "
            + "mark inside resumeProducing is paused again, and resumed once the buffer drains")
    @TrialTest
    Deferred<Void> aReentrantResumeKeepsThePausedState(TrialContext test) {
        int size = 4 * 1024 * 1024;
        WritesWhenResumed[] producer = new WritesWhenResumed[1];
        List<String> atPing = new ArrayList<>();
        Reactor[] under = new Reactor[1];
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                producer[0] = new WritesWhenResumed(this, size, 2);
                transport().registerProducer(producer[0], true);
                transport().write(Bytes.pattern(size));
            }

            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                // the peer has read everything, so the buffer has drained: one more turn for the reactor to notice
                under[0].callLater(Duration.ZERO, () -> {
                    atPing.addAll(producer[0].actions);
                    transport().unregisterProducer();
                    transport().loseConnection();
                });
            }
        });
        return Rut.start(test, reactor -> {
            under[0] = reactor;
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            CompletableFuture<TcpPeers.Seen> peer = Peer.run("reads-then-pings", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    TcpPeers.readExactly(socket, 2 * size);
                    socket.getOutputStream().write('?');
                    return TcpPeers.readToEnd(socket);
                }
            });
            return Poll.future(reactor, peer).addDeferredCallback(seen -> factory.first)
                    .addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(reason -> {
            assertThat(producer[0].actions).as("what the producer heard (the transport lost its paused state if the "
                    + "producer was not paused inside resumeProducing, or never resumed after it)")
                    .startsWith("pause", "resume", "pause inside resume", "resume");
            assertThat(atPing).as("what the producer had heard once the peer had read everything and written back "
                    + "(a producer paused inside resumeProducing that is never resumed: the transport lost its paused "
                    + "state)").contains("pause inside resume").endsWith("resume");
            assertThat(reason).isInstanceOf(ConnectionDone.class);
        });
    }
}
