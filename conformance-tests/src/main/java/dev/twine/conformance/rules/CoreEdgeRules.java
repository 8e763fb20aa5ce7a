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
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * The core at the edges the first rules leave open: iterate's wait, shutdown meeting a throwing
 * protocol or a port that is closing. Found by mutation testing of the built-in reactor
 * (./twine mutation).
 */
@API(status = INTERNAL, since = "0.1")
public class CoreEdgeRules extends RuleSet {

    @Rule(id = "CORE-40", capability = Capability.CORE, value = "iterate(maxWait) with a delayed call due before maxWait "
            + "waits until it is due, also when maxWait is beyond what Duration.toNanos() can hold, so that the next "
            + "iterate(0) runs it")
    @TrialTest
    Deferred<Void> iterateWaitsForTheNextDueCall(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<Duration> maxWaits = List.of(Duration.ofSeconds(30), Duration.ofSeconds(Long.MAX_VALUE));
        // iterate() blocks the thread that calls it: never the trial reactor's.
        java.util.concurrent.CompletableFuture<List<String>> iterated = Peer.run("iterate", () -> {
            List<String> ran = new ArrayList<>();
            List<DelayedCall> followUps = new ArrayList<>();
            for (Duration maxWait : maxWaits) {
                // If this thread is paused for longer than the delay before iterate() looks at its calls,
                // the iterate runs the call before it waits, and waits maxWait unless something else is
                // pending: the follow-up, due at once (calls scheduled while due calls run wait for the
                // next pass, TIME-15), so that the iterate still returns.
                reactor.callLater(Duration.ofMillis(20), () -> {
                    ran.add("due after iterate(" + maxWait + ")");
                    followUps.add(reactor.callLater(Duration.ZERO, () -> { }));
                });
                reactor.iterate(maxWait);
                reactor.iterate(Duration.ZERO);
                ran.add("then iterate(0) returned");
            }
            followUps.stream().filter(DelayedCall::isActive).forEach(DelayedCall::cancel);
            return ran;
        });
        test.addCleanup(() -> Rut.release(test, reactor)); // waited for: it runs the unrun reactor to release it
        return Poll.future(test.reactor(), iterated).addVoidCallback(ran -> {
            assertThat(ran).as("delayed calls (due in 20 ms) that iterate(maxWait) then iterate(0) ran").isEqualTo(
                    maxWaits.stream().flatMap(maxWait -> java.util.stream.Stream.of("due after iterate(" + maxWait + ")",
                            "then iterate(0) returned")).toList());
        });
    }

    @Rule(id = "CORE-41", capability = Capability.CORE, uses = Capability.TCP, value = "a protocol whose connectionLost throws at shutdown "
            + "is logged, and the other connections still hear connectionLost")
    @TrialTest
    Deferred<Void> aThrowingConnectionLostAtShutdown(TrialContext test) {
        IllegalStateException thrown = new IllegalStateException("connectionLost failed on purpose");
        List<String> heard = new CopyOnWriteArrayList<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionLost(Failure reason) {
                super.connectionLost(reason);
                heard.add("connectionLost");
                throw thrown;
            }
        });
        List<Socket> clients = new ArrayList<>();
        test.addCleanup(() -> clients.forEach(socket -> {
            try {
                socket.close();
            } catch (java.io.IOException ignored) {
                // the rule is over
            }
        }));
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(new Socket(Net.LOOPBACK, Net.port(port))); // the backlog takes it at once
                }
            } catch (java.io.IOException e) {
                return Deferred.fail(e);
            }
            return Poll.until(reactor, () -> factory.protocols.size() == 3
                    && factory.protocols.stream().allMatch(p -> p.connected.isCalled()));
        }).addVoidCallback(ignored -> {
            assertThat(heard).as("connections that heard connectionLost at shutdown, each throwing").hasSize(3);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(3);
        });
    }

    @Rule(id = "CORE-42", capability = Capability.CORE, value = "every stopListening() Deferred fires: two asked at "
            + "once, one asked after the port has closed (at once), and one asked just before stop() (before run() "
            + "returns)")
    @TrialTest
    Deferred<Void> everyStopListeningFires(TrialContext test) {
        List<String> fired = new ArrayList<>();
        List<Deferred<Void>> atShutdown = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ProtocolFactory factory = ProtocolFactory.forProtocol(Recorder::new);
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            Deferred<Void> first = port.stopListening();
            Deferred<Void> second = port.stopListening();
            return first.addDeferredCallback(ignored -> {
                fired.add("first");
                return second;
            }).addCallback(ignored -> {
                fired.add("second");
                if (port.stopListening().isCalled()) {
                    fired.add("after it closed, at once");
                }
                atShutdown.add(reactor.listenTCP(0, factory, 50, Net.LOOPBACK).stopListening());
                return null; // the harness stops the reactor now
            });
        }).addVoidCallback(ignored -> {
            if (atShutdown.get(0).isCalled()) {
                fired.add("just before stop()");
            }
            assertThat(fired).as("stopListening() Deferreds that had fired when run() returned").containsExactly("first",
                    "second", "after it closed, at once", "just before stop()");
        });
    }

    /** The port of a listening socket whose accept queue is full: it drops new SYNs, so attempts to it stay pending. */
    private static int fullBacklog(TrialContext test) throws java.io.IOException {
        java.net.ServerSocket full = new java.net.ServerSocket();
        full.bind(new java.net.InetSocketAddress(Net.LOOPBACK, 0), 1);
        List<Socket> fillers = new ArrayList<>();
        test.addCleanup(() -> {
            try {
                for (Socket s : fillers) {
                    s.close();
                }
                full.close();
            } catch (java.io.IOException ignored) {
                // the rule is over
            }
        });
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                fillers.add(s);
                s.connect(full.getLocalSocketAddress(), 200);
            }
        } catch (java.io.IOException alreadyFull) {
            // the queue filled sooner
        }
        return full.getLocalPort();
    }

    @Rule(id = "CORE-43", capability = Capability.CORE, value = "stop() while a connection attempt is pending ends it "
            + "before run() returns: its factory hears clientConnectionFailed, then doStop")
    @TrialTest
    Deferred<Void> stopEndsAPendingAttempt(TrialContext test) throws java.io.IOException {
        int full = fullBacklog(test);
        dev.twine.testing.RecordingClientFactory<Recorder> client =
                new dev.twine.testing.RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, full, client, Duration.ofSeconds(30), null);
            return Deferred.succeed(null); // the harness stops the reactor now
        }).addVoidCallback(ignored -> {
            assertThat(String.join(", ", client.events)).as("what the client factory heard")
                    .matches(".*clientConnectionFailed:\\w+, doStop");
        });
    }

    @Rule(id = "CORE-44", capability = Capability.CORE, uses = Capability.TCP, value = "the loop stays free while a large write waits for a "
            + "slow peer: a delayed call made after writing 8 MiB still runs, and loseConnection then sends every byte "
            + "to a peer that reads a little at a time")
    @TrialTest
    Deferred<Void> aStuckWriteLeavesTheLoopFree(TrialContext test) {
        byte[] data = dev.twine.conformance.harness.Bytes.pattern(8 * 1024 * 1024);
        java.util.concurrent.CompletableFuture<Void> go = new java.util.concurrent.CompletableFuture<>();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
            java.util.concurrent.CompletableFuture<Long> reader = dev.twine.conformance.harness.Peer.run("slow-reader", () -> {
                try (Socket socket = new Socket()) {
                    socket.setReceiveBufferSize(4096); // a slow reader: the writer meets a full socket again and again
                    socket.connect(new java.net.InetSocketAddress(Net.LOOPBACK, Net.port(port)));
                    go.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    long total = 0;
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                        total += n;
                    }
                    return total;
                }
            });
            return factory.firstConnected().addDeferredCallback(protocol -> {
                protocol.transport().write(data);
                Deferred<Void> ran = new Deferred<>();
                reactor.callLater(Duration.ZERO, () -> {
                    seen.add("the delayed call ran");
                    ran.callback(null);
                });
                return ran.addCallback(ignored -> protocol);
            }).addDeferredCallback(protocol -> {
                go.complete(null);
                protocol.transport().loseConnection();
                return Poll.future(reactor, reader);
            }).addVoidCallback(total -> {
                seen.add("the peer read " + total + " bytes");
            });
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what happened after the write").containsExactly("the delayed call ran",
                    "the peer read " + data.length + " bytes");
        });
    }

    @Rule(id = "CORE-45", capability = Capability.CORE, uses = Capability.TCP, value = "a port closed from inside its factory's buildProtocol "
            + "accepts nothing more: a connection still waiting in its backlog gets no protocol, and nothing is logged")
    @TrialTest
    Deferred<Void> aPortClosedFromItsFactory(TrialContext test) {
        ListeningPort[] port = new ListeningPort[1];
        List<Deferred<Void>> stopped = new ArrayList<>();
        int[] built = {0};
        List<Socket> clients = new ArrayList<>();
        test.addCleanup(() -> clients.forEach(socket -> {
            try {
                socket.close();
            } catch (java.io.IOException ignored) {
                // the rule is over
            }
        }));
        return Rut.start(test, reactor -> {
            port[0] = reactor.listenTCP(0, address -> {
                built[0]++;
                stopped.add(port[0].stopListening());
                return new Recorder() {
                    @Override
                    public void connectionMade() {
                        super.connectionMade();
                        transport().loseConnection();
                    }
                };
            }, 50, Net.LOOPBACK);
            List<java.util.concurrent.CompletableFuture<String>> ends = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) { // both wait in the backlog before the reactor accepts
                    Socket socket = new Socket(Net.LOOPBACK, Net.port(port[0]));
                    clients.add(socket);
                    ends.add(dev.twine.conformance.harness.Peer.run("client-" + i, () -> {
                        try {
                            return socket.getInputStream().read() < 0 ? "end of stream" : "bytes";
                        } catch (java.io.IOException e) {
                            return "reset";
                        }
                    }));
                }
            } catch (java.io.IOException e) {
                return Deferred.fail(e);
            }
            return Poll.future(reactor, ends.get(0)).addDeferredCallback(ignored -> Poll.future(reactor, ends.get(1)))
                    .addDeferredCallback(ignored -> stopped.get(0));
        }).addVoidCallback(ignored -> {
            assertThat(built[0]).as("protocols built after the factory closed its port on the first").isEqualTo(1);
        });
    }

    private static final java.nio.file.Path FDS = java.nio.file.Path.of("/proc/self/fd");

    /**
     * The process's open sockets: the descriptors in /proc/self/fd that link to {@code socket:[…]}.
     * Only sockets, because the JVM opens other files meanwhile (a jar a class is loaded from, a
     * report file), which is nothing to do with the reactor.
     */
    private static int openDescriptors() {
        try (java.util.stream.Stream<java.nio.file.Path> fds = java.nio.file.Files.list(FDS)) {
            return (int) fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (java.io.IOException | UnsupportedOperationException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Rule(id = "CORE-46", capability = Capability.CORE, value = "listens that fail (the port is taken) and connection "
            + "attempts stopped while under way leave no socket open behind them")
    @TrialTest
    Deferred<Void> failuresLeaveNoDescriptors(TrialContext test) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(FDS)) {
            throw dev.twine.conformance.harness.Platform.cannotCheck("cannot count open sockets on this system (no /proc/self/fd)");
        }
        int[] counts = new int[2];
        boolean[] alone = new boolean[1];
        int refusing = fullBacklog(test); // attempts to it stay under way until stopped
        return Rut.start(test, reactor -> {
            ListeningPort taken = reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, Net.LOOPBACK);
            return failures(reactor, Net.port(taken), refusing, 3)
                    .addDeferredCallback(warm -> {
                        counts[0] = openDescriptors();
                        long started = Rut.started();
                        boolean aloneBefore = Rut.running() == 1;
                        return failures(reactor, Net.port(taken), refusing, 20).addVoidCallback(done -> {
                            counts[1] = openDescriptors();
                            alone[0] = aloneBefore && Rut.running() == 1 && Rut.started() == started;
                        });
                    });
        }).addVoidCallback(ignored -> {
            if (alone[0]) {
                assertThat(counts[1]).as("open sockets after 20 failed listens and 20 attempts stopped under way, "
                        + "against before").isLessThanOrEqualTo(counts[0]);
            } else {
                test.publishEntry("twine.conformance.CORE-46", "other rules ran meanwhile: the descriptor count was not "
                        + "checked");
            }
        });
    }

    /** {@code rounds} times: a listen on the taken port (must throw), then an attempt stopped once under way. */
    private static Deferred<Void> failures(Reactor reactor, int taken, int pending, int rounds) {
        if (rounds == 0) {
            return Deferred.succeed(null);
        }
        try {
            reactor.listenTCP(taken, ProtocolFactory.forProtocol(Recorder::new), 50, Net.LOOPBACK).stopListening();
            return Deferred.fail(new AssertionError("listening on a port in use did not throw"));
        } catch (dev.twine.reactor.CannotListenException expected) {
            // the contract (TCP-03)
        }
        dev.twine.testing.RecordingClientFactory<Recorder> client =
                new dev.twine.testing.RecordingClientFactory<>(Recorder::new);
        dev.twine.reactor.Connector connector = reactor.connectTCP(Net.LOOPBACK, pending, client);
        Deferred<Void> underWay = new Deferred<>();
        // Two turns of the loop: the attempt has opened its socket by then.
        reactor.callLater(Duration.ZERO, () -> reactor.callLater(Duration.ZERO, () -> underWay.callback(null)));
        return underWay.addDeferredCallback(ignored -> {
            connector.stopConnecting();
            return client.failed;
        }).addDeferredCallback(reason -> failures(reactor, taken, pending, rounds - 1));
    }

    /** A client factory whose clientConnectionFailed, clientConnectionLost and doStop all throw. */
    private static final class ThrowingClientFactory extends dev.twine.testing.RecordingClientFactory<Recorder> {
        ThrowingClientFactory() {
            super(Recorder::new);
        }

        @Override
        public void clientConnectionFailed(dev.twine.reactor.Connector connector, Failure reason) {
            super.clientConnectionFailed(connector, reason);
            throw new IllegalStateException("clientConnectionFailed failed on purpose");
        }

        @Override
        public void clientConnectionLost(dev.twine.reactor.Connector connector, Failure reason) {
            super.clientConnectionLost(connector, reason);
            throw new IllegalStateException("clientConnectionLost failed on purpose");
        }

        @Override
        public void doStop() {
            super.doStop();
            throw new IllegalStateException("doStop failed on purpose");
        }
    }

    @Rule(id = "CORE-47", capability = Capability.CORE, value = "a client factory whose clientConnectionFailed, "
            + "clientConnectionLost or doStop throws, or a server factory whose doStop throws, is logged, and the "
            + "reactor goes on")
    @TrialTest
    Deferred<Void> throwingClientFactoriesAreLogged(TrialContext test) {
        ThrowingClientFactory refused = new ThrowingClientFactory();
        ThrowingClientFactory served = new ThrowingClientFactory();
        return Rut.start(test, reactor -> {
            ListeningPort closed = reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, Net.LOOPBACK);
            ListeningPort open = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    transport().loseConnection();
                }
            }), 50, Net.LOOPBACK);
            return closed.stopListening().addDeferredCallback(ignored -> {
                reactor.connectTCP(Net.LOOPBACK, Net.port(closed), refused);
                return Poll.until(reactor, () -> refused.events.contains("doStop"));
            }).addDeferredCallback(ignored -> {
                reactor.connectTCP(Net.LOOPBACK, Net.port(open), served);
                return Poll.until(reactor, () -> served.events.contains("doStop"));
            }).addDeferredCallback(ignored -> reactor.listenTCP(0, new RecordingServerFactory<Recorder>(Recorder::new) {
                @Override
                public void doStop() {
                    super.doStop();
                    throw new IllegalStateException("a server factory's doStop failed on purpose");
                }
            }, 50, Net.LOOPBACK).stopListening());
        }).addVoidCallback(ignored -> {
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged (clientConnectionFailed and "
                    + "doStop of the refused attempt, clientConnectionLost and doStop of the served one, the server "
                    + "factory's doStop)").hasSize(5);
        });
    }
}
