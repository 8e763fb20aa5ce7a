package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ConnectTimeoutException;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionFailedException;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.DnsLookupException;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.Echo;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpTest {
    private final Harness harness = new Harness();

    static int port(ListeningPort port) {
        Address host = port.getHost();
        return host instanceof IPv4Address v4 ? v4.port() : ((IPv6Address) host).port();
    }

    @Test
    void echoRoundTripWithTheWholeLifecycleInOrder() {
        List<Echo> servers = new ArrayList<>();
        Address[] serverSawPeer = new Address[1];
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, address -> {
                serverSawPeer[0] = address;
                Echo echo = new Echo();
                servers.add(echo);
                return echo;
            }, 50, "127.0.0.1");
            assertThat(port(port)).isPositive();
            reactor.connectTCP("127.0.0.1", port(port), client);
            assertThat(client.events).as("reported inside connectTCP").containsExactly("doStart", "startedConnecting");
            Recorder protocol = await(client.built);
            await(protocol.connected);
            protocol.send("hello, poem");
            await(protocol.receivedAtLeast(11));
            protocol.transport().loseConnection();
            Throwable lost = await(client.lost);
            await(servers.get(0).lost);
            await(port.stopListening());
            return lost;
        }));
        assertThat(reason).isInstanceOf(ConnectionDone.class);
        assertThat(client.events).containsExactly("doStart", "startedConnecting", "buildProtocol",
                "clientConnectionLost:ConnectionDone", "doStop");
        Echo server = servers.get(0);
        assertThat(server.text()).isEqualTo("hello, poem");
        assertThat(server.events).containsExactly("connectionMade", "dataReceived", "connectionLost:ConnectionDone");
        assertThat(serverSawPeer[0]).isInstanceOf(IPv4Address.class).hasFieldOrPropertyWithValue("host", "127.0.0.1");
        assertThat(server.threads).as("the threads the server protocol was called on").containsExactly(Thread.currentThread());
    }

    @Test
    void loseConnectionSendsEverythingWrittenFirstIncludingWritesInTheSameCallback() {
        byte[] big = new byte[8 * 1024 * 1024];
        Arrays.fill(big, (byte) 'p');
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        byte[] received = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write(big);
                    transport().loseConnection();
                    transport().write("postscript".getBytes(UTF_8));
                }
            }), 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder protocol = await(client.built);
            assertThat(await(client.lost)).isInstanceOf(ConnectionDone.class);
            return protocol.received.toByteArray();
        }));
        assertThat(received).hasSize(big.length + "postscript".length());
        assertThat(new String(received, big.length, 10, UTF_8)).isEqualTo("postscript");
    }

    @Test
    void writeSequenceKeepsOrder() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        String text = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    List<byte[]> parts = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        parts.add((i + ",").getBytes(UTF_8));
                    }
                    transport().writeSequence(parts);
                    transport().loseConnection();
                }
            }), 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder protocol = await(client.built);
            await(client.lost);
            return protocol.text();
        }));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append(i).append(',');
        }
        assertThat(text).isEqualTo(expected.toString());
    }

    @Test
    void aClosedPortRefusesPromptly() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> {
            reactor.connectTCP("127.0.0.1", closedPort, client);
            return client.failed;
        });
        assertThat(reason).isInstanceOf(ConnectionRefusedException.class)
                .hasMessageStartingWith("Connection was refused by other side");
        assertThat(client.events).containsExactly("doStart", "startedConnecting",
                "clientConnectionFailed:ConnectionRefusedException", "doStop");
    }

    @Test
    void anAttemptThatTakesTooLongTimesOut() throws Exception {
        // A listening socket whose accept queue is full drops new SYNs, so the attempt hangs.
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    s.connect(full.getLocalSocketAddress(), 200);
                }
            } catch (java.io.IOException alreadyFull) {
                // the queue filled sooner
            }
            RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
            Throwable reason = harness.run(reactor -> {
                reactor.connectTCP("127.0.0.1", full.getLocalPort(), client, Duration.ofMillis(200), null);
                return client.failed;
            });
            assertThat(reason).isInstanceOf(ConnectTimeoutException.class);
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    @Test
    void stopConnectingCancelsTheAttempt() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> {
            Connector connector = reactor.connectTCP("127.0.0.1", 9, client);
            connector.stopConnecting();
            assertThatThrownBy(connector::stopConnecting).isInstanceOf(IllegalStateException.class);
            return client.failed;
        });
        assertThat(reason).isInstanceOf(ConnectCancelledException.class);
    }

    @Test
    void anUnknownHostIsADnsLookupFailure() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> {
            reactor.connectTCP("no-such-host.invalid", 80, client);
            return client.failed;
        });
        assertThat(reason).isInstanceOf(DnsLookupException.class).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void namesAreResolvedOffTheReactorThread() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        String text = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new), 50, "127.0.0.1");
            reactor.connectTCP("localhost", port(port), client);
            Recorder protocol = await(client.built);
            await(protocol.connected);
            protocol.send("by name");
            return new String(await(protocol.receivedAtLeast(7)), UTF_8);
        }));
        assertThat(text).isEqualTo("by name");
    }

    @Test
    void stopListeningClosesThePortAndCountsFactoryStartStop() {
        List<String> factoryEvents = new ArrayList<>();
        ProtocolFactory factory = new ProtocolFactory() {
            @Override
            public Protocol buildProtocol(Address address) {
                return new Echo();
            }

            @Override
            public void doStart() {
                factoryEvents.add("doStart");
            }

            @Override
            public void doStop() {
                factoryEvents.add("doStop");
            }
        };
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort a = reactor.listenTCP(0, factory, 50, "127.0.0.1");
            ListeningPort b = reactor.listenTCP(0, factory, 50, "127.0.0.1");
            await(DeferredList.gatherResults(List.of(a.stopListening(), b.stopListening())));
            assertThat(a.stopListening().isCalled()).as("stopping again").isTrue();
            reactor.connectTCP("127.0.0.1", port(a), client);
            return await(client.failed);
        }));
        assertThat(factoryEvents).containsExactly("doStart", "doStart", "doStop", "doStop");
        assertThat(reason).isInstanceOf(ConnectionRefusedException.class);
    }

    @Test
    void whenStopListeningFiresThePortCanBeBoundAgainEvenBeforeTheLoopHasTurned() {
        // Found by the conformance suite (TCP-05): the Deferred fired before the selector had released the descriptor.
        int again = harness.run(reactor -> {
            ListeningPort first = reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new), 50, "127.0.0.1");
            int number = port(first);
            return first.stopListening().addCallback(ignored ->
                    port(reactor.listenTCP(number, ProtocolFactory.forProtocol(Echo::new), 50, "127.0.0.1")) - number);
        });
        assertThat(again).isZero();
    }

    @Test
    void listeningOnAPortInUseIsRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            NioReactor reactor = new NioReactor();
            assertThatThrownBy(() -> reactor.listenTCP(taken.getLocalPort(), ProtocolFactory.forProtocol(Echo::new), 50, "127.0.0.1"))
                    .isInstanceOf(CannotListenException.class)
                    .hasMessageContaining("Couldn't listen on 127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> reactor.listenTCP(70_000, ProtocolFactory.forProtocol(Echo::new)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFactoryThatReturnsNullClosesTheConnection() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> {
            ListeningPort port = reactor.listenTCP(0, address -> null, 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            return client.lost;
        });
        assertThat(reason).isInstanceOf(ConnectionDone.class);
    }

    @Test
    void aProtocolThatThrowsLosesOnlyItsConnectionAndTheErrorIsLogged() {
        RecordingClientFactory<Recorder> first = new RecordingClientFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> second = new RecordingClientFactory<>(Recorder::new);
        List<Throwable> serverReasons = new ArrayList<>();
        String text = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Echo() {
                @Override
                public void dataReceived(byte[] data) {
                    if (new String(data, UTF_8).startsWith("boom")) {
                        throw new IllegalStateException("the protocol failed on purpose");
                    }
                    super.dataReceived(data);
                }

                @Override
                public void connectionLost(dev.twine.defer.Failure reason) {
                    serverReasons.add(reason.value());
                    super.connectionLost(reason);
                }
            }), 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), first);
            Recorder one = await(first.built);
            await(one.connected);
            one.send("boom");
            await(first.lost);
            reactor.connectTCP("127.0.0.1", port(port), second);
            Recorder two = await(second.built);
            await(two.connected);
            two.send("still serving");
            return new String(await(two.receivedAtLeast(13)), UTF_8);
        }));
        assertThat(text).isEqualTo("still serving");
        assertThat(serverReasons.get(0)).isInstanceOf(IllegalStateException.class);
        assertThat(harness.logged).singleElement().asString()
                .contains("(dataReceived)").contains("the protocol failed on purpose");
    }

    @Test
    void addressesAndSocketOptions() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        List<Object> seen = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new), 50, "127.0.0.1");
            reactor.connectTCP("127.0.0.1", port(port), client);
            Recorder protocol = await(client.built);
            await(protocol.connected);
            TcpTransport t = (TcpTransport) protocol.transport();
            t.setTcpNoDelay(true);
            t.setTcpKeepAlive(true);
            List<Object> values = List.of(t.getPeer(), t.getHost(), t.getTcpNoDelay(), t.getTcpKeepAlive(), port(port));
            t.loseConnection();
            await(client.lost);
            return values;
        }));
        assertThat(seen.get(0)).isEqualTo(new IPv4Address("TCP", "127.0.0.1", (Integer) seen.get(4)));
        assertThat(((IPv4Address) seen.get(1)).host()).isEqualTo("127.0.0.1");
        assertThat(seen.subList(2, 4)).containsExactly(true, true);
    }

    @Test
    void ipv6Works() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Object[] host = new Object[1];
        String text = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new), 50, "::1");
            host[0] = port.getHost();
            reactor.connectTCP("::1", port(port), client);
            Recorder protocol = await(client.built);
            await(protocol.connected);
            protocol.send("six");
            return new String(await(protocol.receivedAtLeast(3)), UTF_8);
        }));
        assertThat(text).isEqualTo("six");
        assertThat(host[0]).isInstanceOf(IPv6Address.class).hasFieldOrPropertyWithValue("host", "::1");
        assertThat(host[0].toString()).startsWith("IPv6Address(type='TCP', host='::1', port=");
    }

    @Test
    void listenOnEveryIpv4InterfaceByDefault() {
        Address host = harness.run(reactor -> Deferred.succeed(reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new)).getHost()));
        assertThat(host).isInstanceOf(IPv4Address.class).hasFieldOrPropertyWithValue("host", "0.0.0.0");
    }

    @Test
    void aConnectionFailedExceptionNamesTheDestination() {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(reactor -> {
            // Binding to an address this host does not have fails the attempt.
            reactor.connectTCP("127.0.0.1", 9, client, Duration.ofSeconds(5), new InetSocketAddress("203.0.113.7", 0));
            return client.failed;
        });
        assertThat(reason).isInstanceOf(ConnectionFailedException.class).hasMessageContaining("127.0.0.1");
    }
}
