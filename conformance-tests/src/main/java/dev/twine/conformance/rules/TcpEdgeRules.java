package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Misuse;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.BufferReceiver;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionFailedException;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.HalfCloseRecorder;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * TCP at the edges the first rules leave open: lent read buffers written back, abort after
 * loseConnection, a connector's timeout, bind address, cancellation and name resolution, client
 * factories that refuse, ports out of range. Found by mutation testing of the built-in reactor
 * (./twine mutation); each rule states a contract any reactor keeps.
 */
@API(status = INTERNAL, since = "0.1")
public class TcpEdgeRules extends RuleSet {

    private static ListeningPort listen(Reactor reactor, ProtocolFactory factory) {
        return reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
    }

    /** Echoes what it is lent back through write(ByteBuffer), without copying it first. */
    private static final class LentBufferEcho extends Protocol implements BufferReceiver {
        @Override
        public void bufferReceived(ByteBuffer data) {
            transport().write(data);
        }

        @Override
        public void dataReceived(byte[] data) {
            bufferReceived(ByteBuffer.wrap(data));
        }
    }

    @Rule(id = "TCP-90", capability = Capability.TCP, value = "a BufferReceiver protocol that writes each lent buffer "
            + "back as it gets it sends the peer exactly the bytes it received, in order")
    @TrialTest
    Deferred<Void> aLentBufferWrittenBackIsSentIntact(TrialContext test) {
        byte[] data = Bytes.pattern(1024 * 1024);
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, ProtocolFactory.forProtocol(LentBufferEcho::new));
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).send(data)
                    .awaitReceived(data.length).close().start().finished());
        }).addVoidCallback(seen -> {
            assertThat(seen.bytesReceived()).as("bytes echoed of the %d sent", data.length).isEqualTo(data.length);
            byte[] back = seen.received();
            byte[] expected = java.util.Arrays.copyOf(data, back.length);
            assertThat(back).as(Bytes.describe(expected, back)).isEqualTo(expected);
        });
    }

    @Rule(id = "TCP-91", capability = Capability.TCP, value = "abortConnection called from a delayed call aborts "
            + "whatever came before: after loseConnection with bytes still queued (the peer gets a reset), or right after "
            + "resumeProducing on a connection whose peer closed while it was paused; connectionLost hears "
            + "ConnectionAborted")
    @TrialTest
    Deferred<Void> abortAfterLoseConnectionStillAborts(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        byte[] lots = Bytes.pattern(8 * 1024 * 1024);
        CompletableFuture<Void> go = new CompletableFuture<>();
        String[] peer = new String[1];
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, factory);
            CompletableFuture<String> reader = Peer.run("reader", () -> readUntilClosed(Net.port(port), go));
            return factory.firstConnected().addDeferredCallback(protocol -> {
                // From a delayed call: the loop then polls its sockets before the abort can take effect.
                reactor.callLater(Duration.ZERO, () -> {
                    protocol.transport().write(lots);
                    protocol.transport().loseConnection();
                    protocol.transport().abortConnection();
                    go.complete(null);
                });
                return protocol.lost;
            }).addDeferredCallback(reason -> Poll.future(reactor, reader).addCallback(text -> {
                peer[0] = text;
                return reason;
            }));
        }).addDeferredCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given after loseConnection then abortConnection")
                    .isInstanceOf(ConnectionAborted.class);
            assertThat(peer[0]).as("what the peer saw").startsWith("reset after");
            return abortRightAfterResume(test);
        });
    }

    /** A paused connection whose peer closes; then resumeProducing and abortConnection in one delayed call. */
    private static Deferred<Void> abortRightAfterResume(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().pauseProducing();
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, factory);
            CompletableFuture<Void> closed = Peer.run("closer", () -> {
                new Socket(Net.LOOPBACK, Net.port(port)).close(); // end of stream, nothing sent
                return null;
            });
            return factory.firstConnected().addDeferredCallback(protocol -> Poll.future(reactor, closed)
                    .addDeferredCallback(ignored -> {
                        reactor.callLater(Duration.ZERO, () -> {
                            protocol.transport().resumeProducing();
                            protocol.transport().abortConnection();
                        });
                        return protocol.lost;
                    }));
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason connectionLost was given after resumeProducing then abortConnection, "
                    + "the peer having closed").isInstanceOf(ConnectionAborted.class);
        });
    }

    /** Connects, waits for {@code go}, reads until the end; says how it ended and after how many bytes. */
    private static String readUntilClosed(int port, CompletableFuture<Void> go) throws Exception {
        try (Socket socket = new Socket(Net.LOOPBACK, port)) {
            go.get(30, TimeUnit.SECONDS);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                }
                return "end of stream after " + total + " bytes";
            } catch (SocketException reset) {
                return "reset after " + total + " bytes";
            }
        }
    }

    @Rule(id = "TCP-92", capability = Capability.TCP, value = "a connection attempt with a timeout leaves no delayed "
            + "call behind once it has connected, or once it has failed")
    @TrialTest
    Deferred<Void> anAttemptCancelsItsTimeout(TrialContext test) {
        List<String> left = new ArrayList<>();
        return Rut.start(test, reactor -> {
            List<DelayedCall> before = List.copyOf(reactor.getDelayedCalls());
            ListeningPort port = listen(reactor, ProtocolFactory.forProtocol(Recorder::new));
            Deferred<Void> connected = new Deferred<>();
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), address -> new Protocol() {
                @Override
                public void connectionMade() {
                    left.add("connected: " + added(reactor, before));
                    transport().loseConnection();
                    connected.callback(null);
                }
            }, Duration.ofSeconds(30), null);
            return connected.addDeferredCallback(ignored -> port.stopListening()).addDeferredCallback(ignored -> {
                RecordingClientFactory<Recorder> refused = new RecordingClientFactory<>(Recorder::new);
                reactor.connectTCP(Net.LOOPBACK, Net.port(port), refused, Duration.ofSeconds(30), null);
                return refused.failed;
            }).addVoidCallback(reason -> {
                left.add("failed: " + added(reactor, before));
            });
        }).addVoidCallback(ignored -> {
            assertThat(left).as("delayed calls pending besides the rule's own, when the attempt had connected and when "
                    + "the next one had failed").containsExactly("connected: []", "failed: []");
        });
    }

    private static List<String> added(Reactor reactor, List<DelayedCall> before) {
        List<String> now = new ArrayList<>();
        for (DelayedCall call : reactor.getDelayedCalls()) {
            if (!before.contains(call)) {
                now.add("a call due at " + call.getTime());
            }
        }
        return now;
    }

    @Rule(id = "TCP-93", capability = Capability.TCP, value = "connectTCP with a bindAddress connects from that "
            + "address: the server sees that port, and the client's getHost() names it")
    @TrialTest
    Deferred<Void> aBindAddressIsTheClientsAddress(TrialContext test) throws java.io.IOException {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(Net.LOOPBACK))) {
            free = probe.getLocalPort();
        }
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Address[] clientHost = new Address[1];
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, server);
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), client, Duration.ofSeconds(30),
                    new InetSocketAddress(Net.LOOPBACK, free));
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                clientHost[0] = protocol.transport().getHost();
                protocol.transport().loseConnection();
                return server.firstConnected();
            }).addVoidCallback(ignored -> { });
        }).addVoidCallback(ignored -> {
            assertThat(server.addresses.get(0)).as("the client's address as the server's factory was given it")
                    .isEqualTo(new IPv4Address("TCP", Net.LOOPBACK, free));
            assertThat(clientHost[0]).as("the client transport's getHost()").isEqualTo(new IPv4Address("TCP", Net.LOOPBACK, free));
        });
    }

    @Rule(id = "TCP-95", capability = Capability.TCP, value = "host names are resolved, preferring IPv4 as Twisted "
            + "does: connectTCP to localhost connects to a server on 127.0.0.1, and listenTCP on interface localhost "
            + "binds 127.0.0.1")
    @TrialTest
    Deferred<Void> aHostNameIsResolved(TrialContext test) {
        Address[] bound = new Address[1];
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, ProtocolFactory.forProtocol(Recorder::new));
            ListeningPort named = reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, "localhost");
            bound[0] = named.getHost();
            named.stopListening();
            reactor.connectTCP("localhost", Net.port(port), client);
            Deferred<Object> outcome = new Deferred<>();
            client.built.addDeferredCallback(protocol -> protocol.connected).addVoidCallback(protocol -> {
                outcome.callback(protocol.transport().getPeer());
                protocol.transport().loseConnection();
            });
            client.failed.addVoidCallback(reason -> {
                outcome.callback("failed: " + reason);
            });
            return outcome;
        }).addVoidCallback(outcome -> {
            assertThat(outcome).as("the client's getPeer(), or why connecting to localhost failed")
                    .isInstanceOf(IPv4Address.class);
            assertThat(((IPv4Address) outcome).host()).as("the host it connected to").isEqualTo(Net.LOOPBACK);
            assertThat(bound[0]).as("getHost() of a port listening on interface localhost").isInstanceOf(IPv4Address.class);
            assertThat(((IPv4Address) bound[0]).host()).as("the address it bound").isEqualTo(Net.LOOPBACK);
        });
    }

    @Rule(id = "TCP-94", capability = Capability.TCP, value = "an attempt that ends before a protocol is connected, "
            + "cancelled by disconnect() or refused by a buildProtocol that throws or returns null, gives "
            + "clientConnectionFailed with a ConnectionFailedException (ConnectCancelledException when cancelled)")
    @TrialTest
    Deferred<Void> attemptsThatEndBeforeAProtocol(TrialContext test) {
        List<Throwable> reasons = new ArrayList<>();
        RecordingClientFactory<Recorder> cancelled = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, ProtocolFactory.forProtocol(Recorder::new));
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), cancelled).disconnect();
            return cancelled.failed.addDeferredCallback(first -> {
                reasons.add(first);
                Deferred<Throwable> thrown = new Deferred<>();
                reactor.connectTCP(Net.LOOPBACK, Net.port(port), new RefusingFactory(true, thrown));
                return thrown;
            }).addDeferredCallback(second -> {
                reasons.add(second);
                Deferred<Throwable> nulled = new Deferred<>();
                reactor.connectTCP(Net.LOOPBACK, Net.port(port), new RefusingFactory(false, nulled));
                return nulled;
            }).addVoidCallback(third -> {
                reasons.add(third);
            });
        }).addVoidCallback(ignored -> {
            assertThat(reasons).as("the reasons clientConnectionFailed heard (disconnect(), buildProtocol threw, "
                    + "buildProtocol returned null)").hasSize(3)
                    .allSatisfy(reason -> assertThat(reason).isInstanceOf(ConnectionFailedException.class));
            assertThat(reasons.get(0)).as("the reason for the attempt disconnect() cancelled")
                    .isInstanceOf(ConnectCancelledException.class);
            assertThat(cancelled.protocols).as("protocols built for the cancelled attempt").isEmpty();
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged for the throw").hasSize(1);
        });
    }

    /** A client factory whose buildProtocol throws or returns null; {@code failed} fires at clientConnectionFailed. */
    private record RefusingFactory(boolean throwing, Deferred<Throwable> failed) implements ClientFactory {
        @Override
        public Protocol buildProtocol(Address address) {
            if (throwing) {
                throw new IllegalStateException("buildProtocol failed on purpose");
            }
            return null;
        }

        @Override
        public void clientConnectionFailed(dev.twine.reactor.Connector connector, dev.twine.defer.Failure reason) {
            failed.callback(reason.value());
        }
    }

    /** Shuts its write side first: says hello, loseWriteConnection, then writes once more (to be dropped). */
    private static final class ShutsFirst extends HalfCloseRecorder {
        @Override
        public void connectionMade() {
            super.connectionMade();
            transport().write(Bytes.utf8("hello"));
            ((TcpTransport) transport()).loseWriteConnection();
        }

        @Override
        public void writeConnectionLost() {
            super.writeConnectionLost();
            transport().write(Bytes.utf8("written after the write side was shut"));
        }
    }

    /** Answers the peer's end of stream: says bye and shuts its own write side. */
    private static final class AnswersTheEnd extends HalfCloseRecorder {
        @Override
        public void readConnectionLost() {
            super.readConnectionLost();
            transport().write(Bytes.utf8("bye"));
            ((TcpTransport) transport()).loseWriteConnection();
        }
    }

    @Rule(id = "TCP-96", capability = Capability.TCP, value = "whichever side half-closes first, a HalfCloseableProtocol "
            + "hears readConnectionLost and writeConnectionLost once each, then connectionLost with ConnectionDone; a "
            + "write after its write side is shut is dropped")
    @TrialTest
    Deferred<Void> halfClosesInEitherOrder(TrialContext test) {
        RecordingServerFactory<ShutsFirst> first = new RecordingServerFactory<>(ShutsFirst::new);
        RecordingServerFactory<AnswersTheEnd> second = new RecordingServerFactory<>(AnswersTheEnd::new);
        List<ClientRecord> peers = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort shutsFirst = listen(reactor, first);
            ListeningPort answers = listen(reactor, second);
            FakeClient one = FakeClient.to(Net.LOOPBACK, Net.port(shutsFirst)).awaitReceived(5).send("reply").close().start();
            FakeClient two = FakeClient.to(Net.LOOPBACK, Net.port(answers)).send("hi").halfClose().start();
            return Poll.future(reactor, one.finished()).addDeferredCallback(record -> {
                peers.add(record);
                return Poll.future(reactor, two.finished());
            }).addDeferredCallback(record -> {
                peers.add(record);
                return first.first.addDeferredCallback(p -> p.lost)
                        .addDeferredCallback(ignored -> second.first.addDeferredCallback(p -> p.lost));
            }).addVoidCallback(ignored -> { });
        }).addVoidCallback(ignored -> {
            List<String> done = List.of("connectionMade", "writeConnectionLost", "dataReceived", "readConnectionLost",
                    "connectionLost:ConnectionDone");
            assertThat(first.protocols.get(0).events).as("what the protocol that shut its write side first heard")
                    .isEqualTo(done);
            assertThat(peers.get(0).receivedText()).as("what its peer received").isEqualTo("hello");
            assertThat(second.protocols.get(0).events).as("what the protocol that answered the peer's end heard")
                    .isEqualTo(List.of("connectionMade", "dataReceived", "readConnectionLost", "writeConnectionLost",
                            "connectionLost:ConnectionDone"));
            assertThat(peers.get(1).receivedText()).as("what its peer received").isEqualTo("bye");
        });
    }

    @Rule(id = "TCP-97", capability = Capability.TCP, value = "loseConnection stops reading: a peer that half-closes "
            + "meanwhile still gets every byte written before it, and the protocol hears ConnectionDone")
    @TrialTest
    Deferred<Void> loseConnectionStopsReading(TrialContext test) {
        byte[] data = Bytes.pattern(4 * 1024 * 1024);
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().write(data);
                transport().loseConnection();
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, factory);
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).halfClose().start().finished())
                    .addDeferredCallback(seen -> factory.first.addDeferredCallback(p -> p.lost).addCallback(reason -> {
                        assertThat(reason).as("the reason connectionLost was given").isInstanceOf(ConnectionDone.class);
                        return seen;
                    }));
        }).addVoidCallback(seen -> {
            assertThat(seen.bytesReceived()).as("bytes the half-closed peer received of the %d written before "
                    + "loseConnection", data.length).isEqualTo(data.length);
        });
    }

    @Rule(id = "TCP-98", capability = Capability.TCP, value = "a pull producer is asked for data as soon as it is "
            + "registered, again once what it wrote has been sent, and not again after a resumeProducing in which it "
            + "wrote nothing")
    @TrialTest
    Deferred<Void> aPullProducerIsAskedOnlyAfterItsWritesDrain(TrialContext test) {
        List<String> asked = new ArrayList<>();
        int[] askedWhenChecked = new int[1];
        Reactor[] under = new Reactor[1];
        CompletableFuture<Void> settled = new CompletableFuture<>(); // asked twice, and the peer's first byte is in
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().registerProducer(new PullProducer() {
                    @Override
                    public void resumeProducing() {
                        asked.add("asked");
                        if (asked.size() == 1) {
                            send("a");
                        }
                    }

                    @Override
                    public void stopProducing() {
                        asked.add("stopped");
                    }
                }, false);
            }

            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                if (text().equals("x")) {
                    Poll.until(under[0], () -> asked.size() >= 2).addCallback(ignored -> settled.complete(null));
                } else {
                    // Two turns of the loop later, so that it has polled its sockets at least once meanwhile.
                    nextTurn(under[0]).addVoidCallback(ignored -> {
                        askedWhenChecked[0] = asked.size();
                        transport().unregisterProducer();
                        transport().loseConnection();
                    });
                }
            }
        });
        return Rut.start(test, reactor -> {
            under[0] = reactor;
            ListeningPort port = listen(reactor, factory);
            CompletableFuture<String> peer = Peer.run("pull-reader", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    InputStream in = socket.getInputStream();
                    int first = in.read();
                    socket.getOutputStream().write('x');
                    settled.get(30, TimeUnit.SECONDS);
                    socket.getOutputStream().write('y'); // a read while the transport has nothing to write
                    byte[] rest = in.readAllBytes();
                    return (char) first + new String(rest, java.nio.charset.StandardCharsets.UTF_8);
                }
            });
            return Poll.future(reactor, peer);
        }).addVoidCallback(seen -> {
            assertThat(seen).as("what the producer sent").isEqualTo("a");
            assertThat(askedWhenChecked[0]).as("resumeProducing calls once the peer had sent more (asked at "
                    + "registration, then once its write had drained, then it wrote nothing)").isEqualTo(2);
        });
    }

    @Rule(id = "TCP-99", capability = Capability.TCP, value = "a protocol that calls pauseProducing in dataReceived "
            + "gets no more dataReceived, however much has arrived, until it calls resumeProducing; then everything "
            + "arrives")
    @TrialTest
    Deferred<Void> pausingInDataReceivedStopsReadsAtOnce(TrialContext test) {
        byte[] data = Bytes.pattern(256 * 1024);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        int[] readsWhilePaused = new int[1];
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] bytes) {
                super.dataReceived(bytes);
                if (reads == 1) {
                    transport().pauseProducing();
                }
            }
        });
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, factory);
            CompletableFuture<byte[]> peer = Peer.run("sender", () -> {
                try (Socket socket = new Socket(Net.LOOPBACK, Net.port(port))) {
                    socket.getOutputStream().write(data);
                    sent.complete(null);
                    return socket.getInputStream().readAllBytes();
                }
            });
            return factory.firstConnected().addDeferredCallback(protocol -> Poll.future(reactor, sent)
                    .addDeferredCallback(ignored -> nextTurn(reactor)).addDeferredCallback(ignored -> nextTurn(reactor))
                    .addDeferredCallback(ignored -> {
                        readsWhilePaused[0] = protocol.reads;
                        protocol.transport().resumeProducing();
                        return protocol.receivedAtLeast(data.length);
                    }).addCallback(all -> {
                        protocol.transport().loseConnection();
                        return all;
                    })).addDeferredCallback(all -> Poll.future(reactor, peer).addCallback(ignored -> all));
        }).addVoidCallback(all -> {
            assertThat(readsWhilePaused[0]).as("dataReceived calls before resumeProducing, the first of which paused")
                    .isEqualTo(1);
            assertThat(all).as(Bytes.describe(data, all)).isEqualTo(data);
        });
    }

    /** Fires on the next turn of the loop, after it has polled its sockets once. */
    private static Deferred<Void> nextTurn(Reactor reactor) {
        Deferred<Void> turned = new Deferred<>();
        reactor.callLater(Duration.ZERO, () -> reactor.callLater(Duration.ZERO, () -> turned.callback(null)));
        return turned;
    }

    @Rule(id = "IPV6-21", capability = Capability.IPV6, value = "listenTCP on :: listens on every IPv6 interface: "
            + "getHost() gives a TCP IPv6Address with host ::, and a client of ::1 is served")
    @TrialTest
    Deferred<Void> listenOnEveryIpv6Interface(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        Address[] host = new Address[1];
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, "::");
            host[0] = port.getHost();
            return Poll.future(reactor, FakeClient.to("::1", Net.port(port)).send("over IPv6").close().start().finished())
                    .addDeferredCallback(seen -> server.first.addDeferredCallback(p -> p.lost));
        }).addVoidCallback(ignored -> {
            assertThat(host[0]).as("getHost() of a port on ::").isInstanceOf(dev.twine.reactor.IPv6Address.class);
            assertThat(((dev.twine.reactor.IPv6Address) host[0]).host()).as("its host").isEqualTo("::");
            assertThat(server.protocols.get(0).text()).as("what the server read from ::1").isEqualTo("over IPv6");
        });
    }

    @Rule(id = "TCP-100", capability = Capability.TCP, value = "TCP used wrongly throws at once and the reactor goes on: "
            + "listenTCP or connectTCP with a port outside 0..65535 IllegalArgumentException, listenTCP on an interface "
            + "that is not an address CannotListenException, connect() on a connector that is connecting or connected "
            + "IllegalStateException; ports 0 and 65535 are in range")
    @TrialTest
    Deferred<Void> tcpMisuseThrows(TrialContext test) {
        List<String> wrong = new ArrayList<>();
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            Misuse.expect(wrong, "listenTCP(65536)", IllegalArgumentException.class,
                    () -> reactor.listenTCP(65536, server, 50, Net.LOOPBACK));
            Misuse.expect(wrong, "listenTCP(-1)", IllegalArgumentException.class, () -> reactor.listenTCP(-1, server, 50, Net.LOOPBACK));
            Misuse.expect(wrong, "connectTCP to port 65536", IllegalArgumentException.class,
                    () -> reactor.connectTCP(Net.LOOPBACK, 65536, client));
            Misuse.expect(wrong, "connectTCP to port -1", IllegalArgumentException.class,
                    () -> reactor.connectTCP(Net.LOOPBACK, -1, client));
            // An IPv6 literal that cannot be parsed: refused without asking a name server.
            Misuse.expect(wrong, "listenTCP on interface '1::2::3'", dev.twine.reactor.CannotListenException.class,
                    () -> reactor.listenTCP(0, server, 50, "1::2::3"));
            // 0 and 65535 are in range: the attempts are made (and fail later, nothing listens there).
            for (int edge : new int[] {0, 65535}) {
                Misuse.expectInRange(wrong, "connectTCP to port " + edge,
                        () -> reactor.connectTCP(Net.LOOPBACK, edge, new RecordingClientFactory<>(Recorder::new)));
            }
            Misuse.expectInRange(wrong, "listenTCP(65535)", () -> reactor.listenTCP(65535, server, 50, Net.LOOPBACK)
                    .stopListening());
            ListeningPort port = listen(reactor, server);
            dev.twine.reactor.Connector connector = reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
            Misuse.expect(wrong, "connect() while connecting", IllegalStateException.class, connector::connect);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                Misuse.expect(wrong, "connect() while connected", IllegalStateException.class, connector::connect);
                protocol.transport().loseConnection();
                return protocol.lost;
            }).addDeferredCallback(reason -> client.lost);
        }).addVoidCallback(ignored -> {
            assertThat(wrong).as("misuses that did not throw as they must").isEmpty();
            assertThat(client.protocols).as("connections the client factory built").hasSize(1);
        });
    }

    @Rule(id = "TCP-101", capability = Capability.TCP, value = "listenTCP(port, factory) listens on every IPv4 interface: "
            + "getHost() gives host 0.0.0.0 and the port bound, and a client of 127.0.0.1 is served")
    @TrialTest
    Deferred<Void> listenOnEveryIpv4Interface(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        Address[] host = new Address[1];
        int[] bound = new int[1];
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server);
            host[0] = port.getHost();
            bound[0] = Net.port(port);
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, bound[0]).send("to every interface").close().start().finished())
                    .addDeferredCallback(seen -> server.first.addDeferredCallback(p -> p.lost))
                    .addDeferredCallback(reason -> port.stopListening());
        }).addVoidCallback(ignored -> {
            assertThat(host[0]).as("getHost() of listenTCP(0, factory)").isInstanceOf(IPv4Address.class);
            assertThat(((IPv4Address) host[0]).host()).as("its host").isEqualTo("0.0.0.0");
            assertThat(bound[0]).as("its port").isPositive();
            assertThat(server.protocols.get(0).text()).as("what the server read from 127.0.0.1")
                    .isEqualTo("to every interface");
        });
    }

    /** A BufferReceiver that fails on a read starting with "boom". */
    private static final class FailingBufferReceiver extends Recorder implements BufferReceiver {
        @Override
        public void bufferReceived(ByteBuffer data) {
            if (data.remaining() >= 4 && data.get(data.position()) == 'b') {
                throw new IllegalStateException("bufferReceived failed on purpose");
            }
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            dataReceived(copy);
        }
    }

    @Rule(id = "TCP-102", capability = Capability.TCP, value = "a BufferReceiver protocol that throws in bufferReceived "
            + "loses its own connection with that exception as the reason; the error is logged, and the port goes on "
            + "serving")
    @TrialTest
    Deferred<Void> aThrowingBufferReceiverLosesOnlyItsConnection(TrialContext test) {
        RecordingServerFactory<FailingBufferReceiver> server = new RecordingServerFactory<>(FailingBufferReceiver::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, server);
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).send("boom").start().finished())
                    .addDeferredCallback(boom -> server.first.addDeferredCallback(p -> p.lost))
                    .addDeferredCallback(reason -> Poll.future(reactor,
                            FakeClient.to(Net.LOOPBACK, Net.port(port)).send("calm").close().start().finished()))
                    .addDeferredCallback(calm -> Poll.until(reactor, () -> server.protocols.size() == 2
                            && server.protocols.get(1).lostCalls == 1));
        }).addVoidCallback(ignored -> {
            FailingBufferReceiver failed = server.protocols.get(0);
            assertThat(failed.lostReason).as("the reason the failing connection was lost")
                    .isInstanceOf(IllegalStateException.class).hasMessage("bufferReceived failed on purpose");
            assertThat(failed.lostCalls).as("connectionLost calls of the failing connection").isEqualTo(1);
            assertThat(server.protocols.get(1).text()).as("what the next connection read").isEqualTo("calm");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    /** Writes a greeting to the first connection; pauses reading on every later one at once. */
    private static final class GreetsThenPauses extends Recorder {
        private final boolean first;

        GreetsThenPauses(boolean first) {
            this.first = first;
        }

        @Override
        public void connectionMade() {
            super.connectionMade();
            if (first) {
                send("hello");
            } else {
                transport().pauseProducing();
            }
        }
    }

    @Rule(id = "TCP-103", capability = Capability.TCP, value = "a reactor with nothing to do does not spin: while it "
            + "waits 300 ms for a delayed call, with a listening port, a connection whose writes have all gone out, and "
            + "a paused connection whose peer has sent more, its thread uses less than 100 ms of CPU time")
    @TrialTest
    Deferred<Void> anIdleReactorDoesNotSpin(TrialContext test) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!cpu.isCurrentThreadCpuTimeSupported()) {
            throw dev.twine.conformance.harness.Platform.cannotCheck("this JVM cannot measure a thread's CPU time");
        }
        if (!cpu.isThreadCpuTimeEnabled()) {
            cpu.setThreadCpuTimeEnabled(true);
        }
        int[] made = new int[1];
        RecordingServerFactory<GreetsThenPauses> server = new RecordingServerFactory<>(
                () -> new GreetsThenPauses(made[0]++ == 0));
        List<Socket> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
        test.addCleanup(() -> {
            for (Socket socket : clients) {
                try {
                    socket.close();
                } catch (java.io.IOException ignored) {
                    // the rule is over
                }
            }
        });
        long window = Duration.ofMillis(300).toNanos();
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, server);
            CompletableFuture<String> peers = Peer.run("idle-peers", () -> {
                Socket greeted = new Socket(Net.LOOPBACK, Net.port(port));
                clients.add(greeted);
                greeted.setSoTimeout(20_000);
                String hello = new String(greeted.getInputStream().readNBytes(5), java.nio.charset.StandardCharsets.UTF_8);
                Socket paused = new Socket(Net.LOOPBACK, Net.port(port));
                clients.add(paused);
                paused.getOutputStream().write(Bytes.pattern(4096));
                return hello;
            });
            return Poll.future(reactor, peers)
                    .addDeferredCallback(hello -> Poll.until(reactor, () -> server.protocols.size() == 2))
                    .addDeferredCallback(connected -> {
                        // No Poll from here: its timer would wake the loop. One delayed call, nothing else.
                        Deferred<long[]> measured = new Deferred<>();
                        long cpuBefore = cpu.getCurrentThreadCpuTime();
                        long wallBefore = System.nanoTime();
                        reactor.callLater(Duration.ofNanos(window), () -> measured.callback(new long[] {
                                cpu.getCurrentThreadCpuTime() - cpuBefore, System.nanoTime() - wallBefore}));
                        return measured;
                    });
        }).addVoidCallback(used -> {
            assertThat(server.protocols.get(1).text()).as("what the paused connection read (it must read nothing)")
                    .isEmpty();
            assertThat(used[0] / 1_000_000).as("CPU milliseconds the reactor thread used while it waited %d ms with "
                    + "nothing to do (it spins: a descriptor stays ready, or the wait does not block)", used[1] / 1_000_000)
                    .isLessThan(100);
        });
    }
}
