package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectCancelledException;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionFailedException;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.Transport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Connectors and addresses as Twisted's reactor tests hold them: outcomes reported after
 * connectTCP returns, the one Connector given to every callback, bindAddress, a port closed from
 * its own factory, and the addresses of the server's end of a connection.
 */
@API(status = INTERNAL, since = "0.1")
public class TcpConnectorContractRules extends RuleSet {

    /** A client factory that notes whether each of its callbacks ran inside connectTCP, and with which connector. */
    static final class WatchingFactory extends RecordingClientFactory<Recorder> {
        boolean inConnectTcp;
        final List<String> inside = new ArrayList<>();
        final List<Connector> connectors = new ArrayList<>();

        WatchingFactory() {
            super(Recorder::new);
        }

        Connector connect(Reactor reactor, String host, int port, InetSocketAddress bindAddress) {
            inConnectTcp = true;
            try {
                return reactor.connectTCP(host, port, this, Duration.ofSeconds(30), bindAddress);
            } finally {
                inConnectTcp = false;
            }
        }

        @Override
        public void startedConnecting(Connector connector) {
            super.startedConnecting(connector);
            connectors.add(connector);
        }

        @Override
        public void clientConnectionFailed(Connector connector, Failure reason) {
            if (inConnectTcp) {
                inside.add("clientConnectionFailed(" + reason.type().getSimpleName() + ")");
            }
            connectors.add(connector);
            super.clientConnectionFailed(connector, reason);
        }

        @Override
        public void clientConnectionLost(Connector connector, Failure reason) {
            connectors.add(connector);
            super.clientConnectionLost(connector, reason);
        }

        @Override
        public Protocol buildProtocol(Address address) {
            if (inConnectTcp) {
                inside.add("buildProtocol");
            }
            return super.buildProtocol(address);
        }
    }

    /** A port nobody listens on: one the system gave out and that was closed again. */
    static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(Net.LOOPBACK))) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Rule(id = "TCP-80", capability = Capability.TCP, value = "a connection attempt that fails at once (refused, or "
            + "its bindAddress in use) is reported through clientConnectionFailed after connectTCP has returned, "
            + "never inside it")
    @TrialTest
    Deferred<Void> failuresAreReportedAfterConnectTcpReturns(TrialContext test) {
        WatchingFactory refused = new WatchingFactory();
        WatchingFactory bindInUse = new WatchingFactory();
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            refused.connect(reactor, Net.LOOPBACK, closedPort(), null);
            // the listening port's own address: binding a client to it is refused by the system at once
            bindInUse.connect(reactor, Net.LOOPBACK, Net.port(port), new InetSocketAddress(Net.LOOPBACK, Net.port(port)));
            return DeferredList.gatherResults(List.of(refused.failed, bindInUse.failed));
        }).addVoidCallback(reasons -> {
            assertThat(refused.inside).as("callbacks run inside connectTCP for a refused connection").isEmpty();
            assertThat(bindInUse.inside).as("callbacks run inside connectTCP for a bindAddress in use").isEmpty();
            assertThat(reasons.get(0)).as("the reason for a refused connection").isInstanceOf(ConnectionRefusedException.class);
            assertThat(reasons.get(1)).as("the reason for a bindAddress in use").isInstanceOf(ConnectionFailedException.class);
        });
    }

    @Rule(id = "TCP-81", capability = Capability.TCP, value = "the Connector connectTCP returns is the one given to "
            + "startedConnecting and then to clientConnectionLost or clientConnectionFailed")
    @TrialTest
    Deferred<Void> oneConnectorForEveryCallback(TrialContext test) {
        WatchingFactory connects = new WatchingFactory();
        WatchingFactory refused = new WatchingFactory();
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().loseConnection();
            }
        });
        Connector[] returned = new Connector[2];
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            returned[0] = connects.connect(reactor, Net.LOOPBACK, Net.port(port), null);
            returned[1] = refused.connect(reactor, Net.LOOPBACK, closedPort(), null);
            return DeferredList.gatherResults(List.of(connects.lost, refused.failed));
        }).addVoidCallback(reasons -> {
            assertThat(reasons.get(0)).as("how the connection ended").isInstanceOf(ConnectionDone.class);
            assertThat(connects.connectors).as("the connectors given to startedConnecting and clientConnectionLost "
                    + "(a different Connector than connectTCP returned)").hasSize(2)
                    .allSatisfy(c -> assertThat(c).isSameAs(returned[0]));
            assertThat(refused.connectors).as("the connectors given to startedConnecting and clientConnectionFailed "
                    + "(a different Connector than connectTCP returned)").hasSize(2)
                    .allSatisfy(c -> assertThat(c).isSameAs(returned[1]));
        });
    }

    @Rule(id = "TCP-82", capability = Capability.TCP, value = "connectTCP binds to its bindAddress: the connection "
            + "comes from that address, and an address in use fails the attempt")
    @TrialTest
    Deferred<Void> theBindAddressIsHonoured(TrialContext test) {
        WatchingFactory first = new WatchingFactory();
        WatchingFactory second = new WatchingFactory();
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        Address[] firstHost = new Address[1];
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            first.connect(reactor, Net.LOOPBACK, Net.port(port), new InetSocketAddress(Net.LOOPBACK, 0));
            return first.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                firstHost[0] = protocol.transport().getHost();
                // the first connection's own address, bound again while it is in use
                second.connect(reactor, Net.LOOPBACK, Net.port(port), new InetSocketAddress(Net.LOOPBACK,
                        Net.port(firstHost[0])));
                // either outcome ends the wait: a refusal, or a connection the rule then closes
                Deferred<Throwable> outcome = new Deferred<>();
                second.failed.addVoidCallback(reason -> {
                    if (!outcome.isCalled()) {
                        outcome.callback(reason);
                    }
                });
                second.built.addDeferredCallback(made -> made.connected).addVoidCallback(made -> {
                    made.transport().loseConnection();
                    if (!outcome.isCalled()) {
                        outcome.callback(null);
                    }
                });
                return outcome.addCallback(reason -> {
                    protocol.transport().loseConnection();
                    return reason;
                });
            });
        }).addVoidCallback(reason -> {
            assertThat(firstHost[0]).as("getHost() of a connection bound to 127.0.0.1")
                    .isEqualTo(new IPv4Address("TCP", Net.LOOPBACK, Net.port(firstHost[0])));
            assertThat(second.protocols).as("a connection made from a bindAddress already in use (the bindAddress "
                    + "was ignored)").isEmpty();
            assertThat(reason).as("the reason for a bindAddress in use").isInstanceOf(ConnectionFailedException.class);
        });
    }

    @Rule(id = "TCP-83", capability = Capability.TCP, value = "a factory may stop its port from inside buildProtocol: "
            + "that connection is served and closes cleanly, and the port then refuses connections")
    @TrialTest
    Deferred<Void> aPortClosedFromItsOwnFactory(TrialContext test) {
        ListeningPort[] port = new ListeningPort[1];
        List<Deferred<Void>> stopped = new ArrayList<>();
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> {
            stopped.add(port[0].stopListening());
            return new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    send("served");
                    transport().loseConnection();
                }
            };
        });
        WatchingFactory client = new WatchingFactory();
        WatchingFactory late = new WatchingFactory();
        return Rut.start(test, reactor -> {
            port[0] = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            client.connect(reactor, Net.LOOPBACK, Net.port(port[0]), null);
            return client.lost.addDeferredCallback(reason -> Poll.until(reactor, () -> !stopped.isEmpty()))
                    .addDeferredCallback(ignored -> stopped.get(0)).addDeferredCallback(ignored -> {
                        late.connect(reactor, Net.LOOPBACK, Net.port(port[0]), null);
                        return late.failed;
                    });
        }).addVoidCallback(lateReason -> {
            assertThat(client.protocols.get(0).text()).as("what the connection accepted as the port closed received")
                    .isEqualTo("served");
            assertThat(client.protocols.get(0).lostReason).isInstanceOf(ConnectionDone.class);
            assertThat(lateReason).as("connecting once the port has stopped").isInstanceOf(ConnectionRefusedException.class);
        });
    }

    @Rule(id = "TCP-84", capability = Capability.TCP, value = "stopConnecting inside startedConnecting fails the "
            + "attempt with ConnectCancelledException: no protocol is built, and the factory hears doStop")
    @TrialTest
    Deferred<Void> stopConnectingInsideStartedConnecting(TrialContext test) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        List<String> thrown = new ArrayList<>();
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new) {
            @Override
            public void startedConnecting(Connector connector) {
                super.startedConnecting(connector);
                try {
                    connector.stopConnecting();
                } catch (RuntimeException e) {
                    thrown.add(e.toString());
                }
            }
        };
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, Net.LOOPBACK);
            reactor.connectTCP(Net.LOOPBACK, Net.port(port), client);
            return client.failed.addDeferredCallback(reason -> Poll.until(reactor, () -> client.events.contains("doStop"))
                    .addCallback(ignored -> reason));
        }).addVoidCallback(reason -> {
            assertThat(thrown).as("what stopConnecting threw inside startedConnecting").isEmpty();
            assertThat(reason).as("the reason the attempt failed").isInstanceOf(ConnectCancelledException.class);
            assertThat(client.events).as("the factory's callbacks").doesNotContain("buildProtocol")
                    .containsOnlyOnce("doStop");
        });
    }

    /** The two ends of the server's side of a connection, with the port's and the client's view. */
    private static Deferred<List<Address>> serverSideAddresses(TrialContext test, String iface) {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        List<Address> addresses = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, server, 50, iface);
            reactor.connectTCP(iface, Net.port(port), client);
            return server.firstConnected().addDeferredCallback(accepted -> client.built
                    .addDeferredCallback(protocol -> protocol.connected).addCallback(connected -> {
                        Transport serverEnd = accepted.transport();
                        addresses.addAll(List.of(serverEnd.getHost(), serverEnd.getPeer(), port.getHost(),
                                connected.transport().getHost(), server.addresses.get(0)));
                        connected.transport().loseConnection();
                        return connected;
                    })).addDeferredCallback(connected -> connected.lost).addCallback(lost -> addresses);
        });
    }

    @Rule(id = "TCP-85", capability = Capability.TCP, value = "on the server's end of an IPv4 connection getHost() "
            + "is the port's address and getPeer() the client's, as the client sees them")
    @TrialTest
    Deferred<Void> serverSideAddressesOnIpv4(TrialContext test) {
        return serverSideAddresses(test, Net.LOOPBACK).addVoidCallback(a -> {
            assertThat(a.get(0)).as("the server end's getHost()").isInstanceOf(IPv4Address.class).isEqualTo(a.get(2));
            assertThat(a.get(1)).as("the server end's getPeer(), against the client's getHost()").isInstanceOf(IPv4Address.class)
                    .isEqualTo(a.get(3));
            assertThat(a.get(4)).as("the address buildProtocol was given, against the server end's getPeer()")
                    .isEqualTo(a.get(1));
        });
    }

    @Rule(id = "IPV6-10", capability = Capability.IPV6, value = "on the server's end of an IPv6 connection getHost() "
            + "is the port's IPv6Address and getPeer() the client's, as the client sees them")
    @TrialTest
    Deferred<Void> serverSideAddressesOnIpv6(TrialContext test) {
        return serverSideAddresses(test, "::1").addVoidCallback(a -> {
            assertThat(a.get(0)).as("the server end's getHost()").isInstanceOf(IPv6Address.class).isEqualTo(a.get(2));
            assertThat(a.get(1)).as("the server end's getPeer(), against the client's getHost()").isInstanceOf(IPv6Address.class)
                    .isEqualTo(a.get(3));
            assertThat(a.get(4)).as("the address buildProtocol was given, against the server end's getPeer()")
                    .isEqualTo(a.get(1));
        });
    }
}
