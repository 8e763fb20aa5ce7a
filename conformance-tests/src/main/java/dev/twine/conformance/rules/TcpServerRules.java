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
import dev.twine.defer.Failure;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.Capability;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.CallbackThreads;
import dev.twine.testing.Echo;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** Listening for TCP connections: Twisted's test_tcp, the server half. */
@API(status = INTERNAL, since = "0.1")
public class TcpServerRules extends RuleSet {

    static ListeningPort listen(dev.twine.reactor.Reactor reactor, ProtocolFactory factory) {
        return reactor.listenTCP(0, factory, 50, Net.LOOPBACK);
    }

    /**
     * Fires on the reactor thread with whether a blocking connection attempt from another thread to
     * {@code host:port} was accepted (true) or refused or failed (false); handed over through
     * callFromThread, so no timer runs meanwhile.
     */
    static Deferred<Boolean> connects(dev.twine.reactor.Reactor reactor, String host, int port) {
        return Poll.woken(reactor, Peer.run("connect", () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 2000);
                return true;
            } catch (IOException refused) {
                return false;
            }
        }));
    }

    @Rule(id = "TCP-01", capability = Capability.TCP, value = "listenTCP on port 0 listens on a port the system chose, "
            + "and getHost() gives it as a TCP IPv4Address")
    @TrialTest
    Deferred<Void> listenOnPortZero(TrialContext test) {
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, ProtocolFactory.forProtocol(Recorder::new));
            return Deferred.succeed(port.getHost());
        }).addVoidCallback(host -> {
            assertThat(host).isInstanceOf(IPv4Address.class);
            IPv4Address v4 = (IPv4Address) host;
            assertThat(v4.type()).isEqualTo("TCP");
            assertThat(v4.host()).isEqualTo("127.0.0.1");
            assertThat(v4.port()).as("port").isPositive();
        });
    }

    @Rule(id = "TCP-02", capability = Capability.TCP, value = "an accepted connection gets a protocol from buildProtocol, "
            + "which is given the client's address, and then connectionMade")
    @TrialTest
    Deferred<Void> anAcceptedConnectionGetsItsProtocol(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, factory);
            FakeClient fake = FakeClient.to(Net.LOOPBACK, Net.port(port)).send("hello").close().start();
            return factory.first.addDeferredCallback(protocol -> protocol.lost).addDeferredCallback(
                    lost -> Poll.future(reactor, fake.finished()));
        }).addVoidCallback(client -> {
            assertThat(factory.addresses).singleElement().satisfies(address -> {
                assertThat(address).isInstanceOf(IPv4Address.class);
                assertThat(((IPv4Address) address).host()).isEqualTo("127.0.0.1");
                assertThat(((IPv4Address) address).port()).as("the client's port").isPositive();
            });
            assertThat(factory.protocols.get(0).events).startsWith("connectionMade", "dataReceived");
            assertThat(factory.protocols.get(0).text()).isEqualTo("hello");
            assertThat(client.connectError()).isNull();
        });
    }

    @Rule(id = "TCP-03", capability = Capability.TCP, value = "listening on a port that is in use throws "
            + "CannotListenException")
    @TrialTest
    Deferred<Void> aPortInUseIsRefused(TrialContext test) throws IOException {
        ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName(Net.LOOPBACK));
        test.addCleanup(() -> {
            try {
                taken.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        return Rut.start(test, reactor -> {
            assertThatThrownBy(() -> reactor.listenTCP(taken.getLocalPort(), ProtocolFactory.forProtocol(Recorder::new),
                    50, Net.LOOPBACK)).isInstanceOf(CannotListenException.class);
            return Deferred.succeed(null);
        });
    }

    @Rule(id = "TCP-04", capability = Capability.TCP, value = "stopListening() returns a Deferred that fires once the "
            + "port is closed; connecting to it is then refused, while the reactor still runs")
    @TrialTest
    Deferred<Void> stopListeningClosesThePort(TrialContext test) {
        Duration bound = Conformance.ruleLimit(test).dividedBy(2);
        return Rut.start(test, reactor -> {
            ListeningPort listening = listen(reactor, ProtocolFactory.forProtocol(Recorder::new));
            int number = Net.port(listening);
            Deferred<Void> stopped = listening.stopListening();
            Deferred<Void> checked = new Deferred<>();
            DelayedCall giveUp = reactor.callLater(bound, () -> connects(reactor, Net.LOOPBACK, number).addVoidCallback(open -> {
                if (!checked.isCalled()) {
                    checked.errback(new Failure(new AssertionError("stopListening()'s Deferred had not fired "
                            + bound.toMillis() + " ms later, and the port was " + (open ? "still open" : "closed"))));
                }
            }));
            stopped.addVoidCallback(ignored -> {
                if (giveUp.isActive()) {
                    giveUp.cancel();
                }
                connects(reactor, Net.LOOPBACK, number).addVoidCallback(open -> {
                    if (!checked.isCalled()) {
                        if (open) {
                            checked.errback(new Failure(new AssertionError("a connection to the port was accepted after "
                                    + "stopListening() fired: the port was still open")));
                        } else {
                            checked.callback(null);
                        }
                    }
                });
            });
            return checked;
        });
    }

    @Rule(id = "TCP-05", capability = Capability.TCP, value = "a port that has stopped listening can be listened on again")
    @TrialTest
    Deferred<Void> aPortCanBeListenedOnAgain(TrialContext test) {
        return Rut.start(test, reactor -> {
            ListeningPort first = listen(reactor, ProtocolFactory.forProtocol(Recorder::new));
            int number = Net.port(first);
            return first.stopListening().addDeferredCallback(ignored -> {
                ListeningPort again = reactor.listenTCP(number, ProtocolFactory.forProtocol(() -> new Protocol() {
                    @Override
                    public void connectionMade() {
                        transport().write(Bytes.utf8("second"));
                        transport().loseConnection();
                    }
                }), 50, Net.LOOPBACK);
                assertThat(Net.port(again)).isEqualTo(number);
                return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, number).start().finished());
            });
        }).addVoidCallback(second -> {
            assertThat(second.receivedText()).isEqualTo("second");
        });
    }

    @Rule(id = "TCP-06", capability = Capability.TCP, value = "a server factory hears doStart when its port starts "
            + "listening and doStop when it stops, once each")
    @TrialTest
    Deferred<Void> theFactoryHearsStartAndStop(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            List<String> counts = new ArrayList<>();
            ListeningPort port = listen(reactor, factory);
            counts.add("listening: " + factory.starts + " start, " + factory.stops + " stop");
            return port.stopListening().addCallback(ignored -> {
                counts.add("stopped: " + factory.starts + " start, " + factory.stops + " stop");
                return counts;
            });
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("listening: 1 start, 0 stop", "stopped: 1 start, 1 stop");
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), factory.callbacks);
        });
    }

    @Rule(id = "TCP-07", capability = Capability.TCP, value = "a factory whose buildProtocol returns null has that "
            + "connection closed at once, and the port goes on serving")
    @TrialTest
    Deferred<Void> aNullProtocolClosesTheConnection(TrialContext test) {
        return Rut.start(test, reactor -> {
            int[] built = {0};
            ListeningPort port = listen(reactor, address -> built[0]++ == 0 ? null : new Protocol() {
                @Override
                public void connectionMade() {
                    transport().write(Bytes.utf8("served"));
                    transport().loseConnection();
                }
            });
            FakeClient refused = FakeClient.to(Net.LOOPBACK, Net.port(port)).start();
            return Poll.future(reactor, refused.finished()).addDeferredCallback(first -> Poll.future(reactor,
                    FakeClient.to(Net.LOOPBACK, Net.port(port)).start().finished()).addCallback(second -> List.of(first, second)));
        }).addVoidCallback(clients -> {
            assertThat(clients.get(0).ending()).as("the connection given no protocol").isIn(Ending.CLOSED_BY_PEER,
                    Ending.RESET_BY_PEER);
            assertThat(clients.get(0).bytesReceived()).isZero();
            assertThat(clients.get(1).receivedText()).as("the next connection").isEqualTo("served");
        });
    }

    @Rule(id = "TCP-08", capability = Capability.TCP, value = "listening on interface 127.0.0.1 binds that address "
            + "only: getHost() names it, and the port does not answer on another local address")
    @TrialTest
    Deferred<Void> listeningOnAnInterfaceBindsIt(TrialContext test) {
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, "127.0.0.1");
            Address host = port.getHost();
            // 127.0.0.2 is this host too (Linux answers on all of 127/8): only a socket bound to every
            // interface, or to that one, accepts there. Where it is not configured the attempt fails anyway.
            return connects(reactor, "127.0.0.2", Net.port(port)).addVoidCallback(elsewhere -> {
                assertThat(((IPv4Address) host).host()).as("getHost()").isEqualTo("127.0.0.1");
                assertThat(elsewhere).as("a connection to the port on 127.0.0.2 was accepted: the port is bound to "
                        + "every interface, not to 127.0.0.1").isFalse();
            });
        });
    }

    @Rule(id = "TCP-09", capability = Capability.TCP, value = "a server serves 100 clients connected at once, each "
            + "getting back exactly its own bytes")
    @TrialTest
    Deferred<Void> manyClientsAtOnce(TrialContext test) {
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, ProtocolFactory.forProtocol(Echo::new));
            List<Deferred<ClientRecord>> clients = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String message = "client " + i + " says " + "x".repeat(i * 10);
                clients.add(Poll.woken(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).send(message)
                        .awaitReceived(message.length()).close().start().finished()));
            }
            return DeferredList.gatherResults(clients);
        }).addVoidCallback(records -> {
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i).receivedText()).as("client %d", i)
                        .isEqualTo("client " + i + " says " + "x".repeat(i * 10));
            }
        });
    }

    @Rule(id = "TCP-10", capability = Capability.TCP, value = "an accepted connection's protocol, and its factory, hear "
            + "every callback on the reactor thread")
    @TrialTest
    Deferred<Void> serverCallbacksRunOnTheReactorThread(TrialContext test) {
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = listen(reactor, factory);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).send("some bytes").close().start();
            return factory.first.addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(ignored -> port.stopListening());
        }).addVoidCallback(ignored -> {
            CallbackThreads.assertOnReactorThread(Rut.lastRunThread(), factory.callbacks, factory.protocols.get(0).callbacks);
        });
    }
}
