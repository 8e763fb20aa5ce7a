package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.conformance.harness.TcpPeers;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionClosed;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Descriptor;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * abortConnection as Twisted's reactor tests hold it: what is written after it is dropped, the
 * protocol hears connectionLost later and once (never inside the call that aborted), and nothing
 * of the connection stays registered or scheduled.
 */
@API(status = INTERNAL, since = "0.1")
public class TcpAbortRules extends RuleSet {
    private static final byte BEFORE = 'X';
    private static final byte AFTER = 'Y';

    /** A protocol that notes whether connectionLost came while one of its own calls was still running. */
    static class AbortingClient extends Recorder {
        /** Set while the protocol is inside a call that may abort. */
        boolean inside;
        /** What ran inside, when connectionLost came re-entrantly. */
        String lostInside;

        @Override
        public void connectionLost(Failure reason) {
            if (inside && lostInside == null) {
                lostInside = "connectionLost(" + reason.type().getSimpleName() + ")";
            }
            super.connectionLost(reason);
        }
    }

    /**
     * Connects the reactor under test, as a client, to a JDK peer that greets it with "ready" and
     * reads until the end; fires with the peer's view once both ends are done.
     */
    private static <P extends Recorder> Deferred<TcpPeers.Seen> abortAgainstAPeer(TrialContext test, Reactor reactor,
            RecordingClientFactory<P> client) {
        ServerSocket server = TcpPeers.listen();
        test.addCleanup(() -> closeQuietly(server));
        CompletableFuture<TcpPeers.Seen> peer = TcpPeers.serveOne("abort-peer", server, Bytes.utf8("ready"));
        reactor.connectTCP(Net.LOOPBACK, server.getLocalPort(), client);
        return client.built.addDeferredCallback(protocol -> protocol.lost)
                .addDeferredCallback(lost -> Poll.future(reactor, peer));
    }

    private static void closeQuietly(ServerSocket server) {
        try {
            server.close();
        } catch (java.io.IOException e) {
            // the rule is over
        }
    }

    private static byte[] filled(int size, byte value) {
        byte[] data = new byte[size];
        Arrays.fill(data, value);
        return data;
    }

    @Rule(id = "TCP-60", capability = Capability.TCP, value = "bytes written after abortConnection, by write, "
            + "writeSequence or write(ByteBuffer), never reach the peer")
    @TrialTest
    Deferred<Void> writesAfterAbortAreDropped(TrialContext test) {
        RecordingClientFactory<AbortingClient> client = new RecordingClientFactory<>(() -> new AbortingClient() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (reads == 1) {
                    transport().write(filled(10_000, BEFORE));
                    transport().abortConnection();
                    transport().write(filled(10_000, AFTER));
                    transport().writeSequence(List.of(filled(5_000, AFTER), filled(5_000, AFTER)));
                    transport().write(ByteBuffer.wrap(filled(10_000, AFTER)));
                }
            }
        });
        return Rut.start(test, reactor -> abortAgainstAPeer(test, reactor, client)).addVoidCallback(seen -> {
            assertThat(seen.count(AFTER)).as("bytes written after abortConnection that reached the peer (it saw %s)",
                    seen.ending()).isZero();
            assertThat(client.protocols.get(0).lostReason).as("the reason connectionLost was given")
                    .isInstanceOf(ConnectionAborted.class);
        });
    }

    @Rule(id = "TCP-61", capability = Capability.TCP, value = "abortConnection inside dataReceived: connectionLost "
            + "comes once, with ConnectionAborted, after dataReceived has returned, never inside it")
    @TrialTest
    Deferred<Void> abortInsideDataReceivedIsNotReentrant(TrialContext test) {
        RecordingClientFactory<AbortingClient> client = new RecordingClientFactory<>(() -> new AbortingClient() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                inside = true;
                try {
                    transport().write(filled(10_000, BEFORE));
                    transport().abortConnection();
                } finally {
                    inside = false;
                }
            }
        });
        return Rut.start(test, reactor -> abortAgainstAPeer(test, reactor, client)).addVoidCallback(seen -> {
            AbortingClient protocol = client.protocols.get(0);
            assertThat(protocol.lostInside).as("connectionLost called re-entrantly, inside the dataReceived that called "
                    + "abortConnection").isNull();
            assertThat(protocol.lostCalls).as("connectionLost calls: %s", protocol.events).isEqualTo(1);
            assertThat(protocol.lostReason).as("the reason connectionLost was given").isInstanceOf(ConnectionAborted.class);
            assertThat(seen.reset()).as("the peer saw a reset (it saw %s)", seen.ending()).isTrue();
        });
    }

    /** A pull producer that aborts its connection when asked for more (after the first time, inside registerProducer). */
    static final class AbortingProducer implements PullProducer {
        final AbortingClient protocol;
        boolean registering;
        int resumes;
        boolean stopped;
        String stoppedAt;

        AbortingProducer(AbortingClient protocol) {
            this.protocol = protocol;
        }

        @Override
        public void resumeProducing() {
            resumes++;
            if (registering) {
                return;
            }
            protocol.inside = true;
            try {
                protocol.transport().abortConnection();
            } finally {
                protocol.inside = false;
            }
        }

        @Override
        public void stopProducing() {
            stopped = true;
            stoppedAt = protocol.lost.isCalled() ? "after connectionLost" : "before connectionLost";
        }
    }

    @Rule(id = "TCP-62", capability = Capability.TCP, value = "abortConnection inside a pull producer's "
            + "resumeProducing: the producer hears stopProducing, and connectionLost comes once, after resumeProducing "
            + "has returned")
    @TrialTest
    Deferred<Void> abortInsideResumeProducingIsNotReentrant(TrialContext test) {
        AbortingProducer[] producer = new AbortingProducer[1];
        RecordingClientFactory<AbortingClient> client = new RecordingClientFactory<>(() -> new AbortingClient() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (reads == 1) {
                    transport().write(Bytes.pattern(762_000));
                    producer[0] = new AbortingProducer(this);
                    producer[0].registering = true;
                    transport().registerProducer(producer[0], false);
                    producer[0].registering = false;
                }
            }
        });
        return Rut.start(test, reactor -> abortAgainstAPeer(test, reactor, client)).addVoidCallback(seen -> {
            AbortingClient protocol = client.protocols.get(0);
            assertThat(producer[0].resumes).as("resumeProducing calls (the first inside registerProducer)")
                    .isGreaterThanOrEqualTo(2);
            assertThat(protocol.lostInside).as("connectionLost called re-entrantly, inside the resumeProducing that "
                    + "called abortConnection").isNull();
            assertThat(producer[0].stopped).as("the producer heard stopProducing").isTrue();
            assertThat(producer[0].stoppedAt).as("when the producer heard stopProducing").isEqualTo("before connectionLost");
            assertThat(protocol.lostCalls).as("connectionLost calls: %s", protocol.events).isEqualTo(1);
            assertThat(protocol.lostReason).as("the reason connectionLost was given").isInstanceOf(ConnectionAborted.class);
        });
    }

    @Rule(id = "TCP-63", capability = Capability.TCP, value = "abortConnection followed by loseConnection, or by "
            + "abortConnection again, inside dataReceived: no exception, one connectionLost with ConnectionAborted, "
            + "and the peer sees a reset")
    @TrialTest
    Deferred<Void> abortThenLoseOrAbortAgainIsAnAbort(TrialContext test) {
        List<Throwable> thrown = new ArrayList<>();
        int[] built = new int[1];
        Supplier<Recorder> make = () -> new Recorder() {
            final boolean loseAfterAbort = built[0]++ == 0;

            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (reads == 1) {
                    try {
                        transport().abortConnection();
                        if (loseAfterAbort) {
                            transport().loseConnection();
                        } else {
                            transport().abortConnection();
                        }
                        transport().abortConnection();
                        transport().loseConnection();
                    } catch (RuntimeException e) {
                        thrown.add(e);
                    }
                }
            }
        };
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(make);
        List<TcpPeers.Seen> peers = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            CompletableFuture<TcpPeers.Seen> first = TcpPeers.client("abort-then-lose", Net.port(port), Bytes.utf8("go"));
            return Poll.future(reactor, first).addDeferredCallback(seen -> {
                peers.add(seen);
                return Poll.future(reactor, TcpPeers.client("abort-twice", Net.port(port), Bytes.utf8("go")));
            }).addDeferredCallback(seen -> {
                peers.add(seen);
                return Poll.until(reactor, () -> factory.protocols.size() == 2
                        && factory.protocols.stream().allMatch(p -> p.lost.isCalled()));
            });
        }).addVoidCallback(ignored -> {
            assertThat(thrown).as("exceptions thrown by abortConnection or loseConnection after abortConnection").isEmpty();
            for (int i = 0; i < 2; i++) {
                Recorder protocol = factory.protocols.get(i);
                assertThat(protocol.lostCalls).as("connectionLost calls: %s", protocol.events).isEqualTo(1);
                assertThat(protocol.lostReason).as("the reason connectionLost was given after abortConnection")
                        .isInstanceOf(ConnectionAborted.class);
                assertThat(peers.get(i).reset()).as("the peer saw a reset after abortConnection (it saw %s)",
                        peers.get(i).ending()).isTrue();
            }
        });
    }

    @Rule(id = "TCP-64", capability = Capability.TCP, value = "once both ends of an aborted connection have heard "
            + "connectionLost, nothing of it stays registered with the reactor or scheduled on it")
    @TrialTest
    Deferred<Void> abortLeavesNothingBehind(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("ready");
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                transport().write(filled(10_000, BEFORE));
                transport().abortConnection();
            }
        });
        List<String> left = new ArrayList<>();
        return Rut.start(test, reactor -> {
            Set<DelayedCall> calls = new HashSet<>(reactor.getDelayedCalls());
            Set<Descriptor> descriptors = descriptors(reactor);
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
            return client.lost.addDeferredCallback(reason -> server.first)
                    .addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(reason -> port.stopListening())
                    .addVoidCallback(stopped -> {
                        for (DelayedCall call : reactor.getDelayedCalls()) {
                            if (!calls.contains(call) && call.isActive()) {
                                left.add("a delayed call due at " + call.getTime() + " (now " + reactor.seconds() + ")");
                            }
                        }
                        for (Descriptor descriptor : descriptors(reactor)) {
                            if (!descriptors.contains(descriptor)) {
                                left.add("the descriptor " + descriptor);
                            }
                        }
                    });
        }).addVoidCallback(ignored -> {
            assertThat(client.protocols.get(0).lostReason).as("the aborting side's reason").isInstanceOf(ConnectionAborted.class);
            assertThat(server.protocols.get(0).lostReason).as("the other side's reason").isInstanceOf(ConnectionLost.class);
            assertThat(left).as("left registered or scheduled after an aborted connection was lost").isEmpty();
        });
    }

    private static Set<Descriptor> descriptors(Reactor reactor) {
        Set<Descriptor> all = new HashSet<>();
        if (reactor instanceof ReactorDescriptors fds) {
            all.addAll(fds.getReaders());
            all.addAll(fds.getWriters());
        }
        return all;
    }

    @Rule(id = "TCP-65", capability = Capability.TCP, value = "a protocol that calls abortConnection and then throws "
            + "from dataReceived loses its connection once; the error is logged, not masked by the abort")
    @TrialTest
    Deferred<Void> abortThenThrowIsLoggedOnce(TrialContext test) {
        RecordingClientFactory<AbortingClient> client = new RecordingClientFactory<>(() -> new AbortingClient() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                transport().abortConnection();
                throw new ArithmeticException("a bug right after abortConnection");
            }
        });
        return Rut.start(test, reactor -> abortAgainstAPeer(test, reactor, client)).addVoidCallback(seen -> {
            AbortingClient protocol = client.protocols.get(0);
            List<Failure> logged = test.flushLoggedErrors(ArithmeticException.class);
            assertThat(protocol.lostCalls).as("connectionLost calls: %s", protocol.events).isEqualTo(1);
            assertThat(protocol.lostReason).as("the reason connectionLost was given")
                    .isInstanceOfAny(ArithmeticException.class, ConnectionLost.class);
            assertThat(logged).as("the errors the protocol threw that were logged").hasSize(1);
        });
    }

    /** A streaming producer that aborts its connection a moment after it is first paused. */
    static final class AbortWhenPaused implements PushProducer {
        final Reactor reactor;
        final AbortingClient protocol;
        int pauses;
        boolean stopped;

        AbortWhenPaused(Reactor reactor, AbortingClient protocol) {
            this.reactor = reactor;
            this.protocol = protocol;
        }

        @Override
        public void pauseProducing() {
            if (++pauses == 1) {
                // let the reactor write a little of its buffer first, so the socket's buffers fill too
                reactor.callLater(Duration.ofMillis(10), () -> {
                    protocol.inside = true;
                    try {
                        protocol.transport().abortConnection();
                    } finally {
                        protocol.inside = false;
                    }
                });
            }
        }

        @Override
        public void resumeProducing() {
        }

        @Override
        public void stopProducing() {
            stopped = true;
        }
    }

    @Rule(id = "TCP-66", capability = Capability.TCP, value = "abortConnection on a connection whose buffer is full "
            + "(a peer that does not read, a paused streaming producer) closes it at once: stopProducing, then "
            + "connectionLost with ConnectionAborted")
    @TrialTest
    Deferred<Void> abortWithAFullBuffer(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().pauseProducing(); // a peer that does not read
            }
        });
        AbortWhenPaused[] producer = new AbortWhenPaused[1];
        Reactor[] under = new Reactor[1];
        RecordingClientFactory<AbortingClient> client = new RecordingClientFactory<>(() -> new AbortingClient() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                producer[0] = new AbortWhenPaused(under[0], this);
                transport().registerProducer(producer[0], true);
                for (int i = 0; i < 32; i++) {
                    transport().write(Bytes.pattern(256 * 1024));
                }
            }

            @Override
            public void connectionLost(Failure reason) {
                super.connectionLost(reason);
                server.protocols.get(0).transport().resumeProducing(); // so that the server hears of it
            }
        });
        return Rut.start(test, reactor -> {
            under[0] = reactor;
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
            return client.built.addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(reason -> server.first).addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(serverReason -> {
            AbortingClient protocol = client.protocols.get(0);
            assertThat(producer[0].pauses).as("pauseProducing calls before the abort").isGreaterThanOrEqualTo(1);
            assertThat(protocol.lostInside).as("connectionLost called re-entrantly, inside abortConnection").isNull();
            assertThat(producer[0].stopped).as("the producer heard stopProducing").isTrue();
            assertThat(protocol.lostCalls).as("connectionLost calls: %s", protocol.events).isEqualTo(1);
            assertThat(protocol.lostReason).as("the aborting side's reason").isInstanceOf(ConnectionAborted.class);
            assertThat(serverReason).as("the other side's reason").isInstanceOf(ConnectionClosed.class);
        });
    }
}
