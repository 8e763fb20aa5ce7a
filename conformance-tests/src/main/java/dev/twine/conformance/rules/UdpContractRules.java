package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorUDP;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * UDP as Twisted's test_udp (test/ and internet/test/) checks it beyond UDP-01..08: errors in
 * datagramReceived, bind errors, rebinding, connected mode's sender filter, and stopping from
 * inside the protocol. The peers are other UDP ports of the reactor under test: datagrams over
 * loopback that one port sends before another are queued at the receiver in that order.
 */
@API(status = INTERNAL, since = "0.1")
public class UdpContractRules extends RuleSet {

    /** Records what a UDP port's protocol hears; {@link #arrived} fires once {@code expected} datagrams came. */
    static class Inbox extends DatagramProtocol {
        final List<String> datagrams = new ArrayList<>();
        final List<Address> senders = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final Deferred<List<String>> arrived = new Deferred<>();
        final Deferred<Void> stopped = new Deferred<>();
        int starts;
        private final int expected;

        Inbox(int expected) {
            this.expected = expected;
        }

        @Override
        public void startProtocol() {
            starts++;
            events.add("startProtocol");
        }

        @Override
        public void stopProtocol() {
            events.add("stopProtocol");
            if (!stopped.isCalled()) {
                stopped.callback(null);
            }
        }

        @Override
        public void datagramReceived(byte[] data, Address from) {
            datagrams.add(new String(data, StandardCharsets.UTF_8));
            senders.add(from);
            if (datagrams.size() == expected && !arrived.isCalled()) {
                arrived.callback(List.copyOf(datagrams));
            }
        }
    }

    static ReactorUDP udp(Reactor reactor) {
        if (!(reactor instanceof ReactorUDP udp)) {
            throw new AssertionError("the provider declares UDP but its reactor does not implement ReactorUDP");
        }
        return udp;
    }

    private static DatagramTransport listen(Reactor reactor, DatagramProtocol protocol) {
        return udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
    }

    private static void send(DatagramTransport from, String text, DatagramTransport to) {
        from.write(Bytes.utf8(text), Net.LOOPBACK, Net.port(to));
    }

    @Rule(id = "UDP-10", capability = Capability.UDP, value = "an exception thrown by datagramReceived is logged and the "
            + "port keeps receiving")
    @TrialTest
    Deferred<Void> aFailingDatagramReceivedKeepsThePort(TrialContext test) {
        Inbox inbox = new Inbox(3) {
            @Override
            public void datagramReceived(byte[] data, Address from) {
                super.datagramReceived(data, from);
                throw new IllegalStateException("datagramReceived fails on " + datagrams.size());
            }
        };
        return Rut.start(test, reactor -> {
            DatagramTransport port = listen(reactor, inbox);
            DatagramTransport sender = listen(reactor, new Inbox(0));
            Deferred<List<String>> result = new Deferred<>();
            inbox.stopped.addVoidCallback(ignored -> {
                if (!result.isCalled()) {
                    result.errback(new AssertionError("stopProtocol was called after datagramReceived threw: the port was "
                            + "closed by the protocol's exception; datagrams so far " + inbox.datagrams));
                }
            });
            inbox.arrived.addVoidCallback(got -> {
                if (!result.isCalled()) {
                    result.callback(got);
                }
            });
            send(sender, "one", port);
            // The next datagrams are sent only once the first has been handled, and has thrown.
            waitFor(reactor, inbox, 1, () -> {
                send(sender, "two", port);
                send(sender, "three", port);
            });
            return result;
        }).addVoidCallback(got -> {
            assertThat(got).as("datagrams received (the port stopped receiving after datagramReceived threw)")
                    .containsExactly("one", "two", "three");
            assertThat(test.flushLoggedErrors(IllegalStateException.class))
                    .as("errors logged for the exceptions datagramReceived threw").hasSize(3);
        });
    }

    /** Runs {@code then} once {@code inbox} holds {@code count} datagrams, checking after each delayed call. */
    private static void waitFor(Reactor reactor, Inbox inbox, int count, Runnable then) {
        if (inbox.datagrams.size() >= count) {
            then.run();
        } else {
            reactor.callLater(java.time.Duration.ofMillis(1), () -> waitFor(reactor, inbox, count, then));
        }
    }

    @Rule(id = "UDP-11", capability = Capability.UDP, value = "listenUDP on a port another socket is bound to throws "
            + "CannotListenException naming that port, and the first port keeps working")
    @TrialTest
    Deferred<Void> bindingABoundPortIsRefused(TrialContext test) {
        Inbox first = new Inbox(1);
        return Rut.start(test, reactor -> {
            DatagramTransport port = listen(reactor, first);
            int number = Net.port(port);
            assertThat(catchThrowable(() -> udp(reactor).listenUDP(number, new Inbox(0), Net.LOOPBACK, 8192)))
                    .as("listenUDP on a port already bound (address in use) did not throw CannotListenException")
                    .isInstanceOfSatisfying(CannotListenException.class, e -> assertThat(e.port())
                            .as("the port CannotListenException names").isEqualTo(number));
            send(listen(reactor, new Inbox(0)), "still here", port);
            return first.arrived;
        }).addVoidCallback(got -> {
            assertThat(got).as("what the first port received after the refused bind").containsExactly("still here");
        });
    }

    @Rule(id = "UDP-12", capability = Capability.UDP, value = "once stopListening's Deferred has fired, the same port "
            + "number can be bound again, and the same protocol hears startProtocol again")
    @TrialTest
    Deferred<Void> rebindAfterStopListening(TrialContext test) {
        Inbox inbox = new Inbox(1);
        return Rut.start(test, reactor -> {
            DatagramTransport port = listen(reactor, inbox);
            int number = Net.port(port);
            return port.stopListening().addDeferredCallback(ignored -> {
                DatagramTransport again;
                try {
                    again = udp(reactor).listenUDP(number, inbox, Net.LOOPBACK, 8192);
                } catch (CannotListenException e) {
                    throw new AssertionError("could not bind port " + number + " again after stopListening fired: the "
                            + "socket was not closed yet (" + e + ")", e);
                }
                assertThat(Net.port(again)).as("the port bound again").isEqualTo(number);
                send(listen(reactor, new Inbox(0)), "after the rebind", again);
                return inbox.arrived.addCallback(got -> {
                    assertThat(inbox.events).as("what the protocol heard by then").containsExactly("startProtocol",
                            "stopProtocol", "startProtocol");
                    return got;
                });
            });
        }).addVoidCallback(got -> {
            assertThat(got).as("what the rebound port received").containsExactly("after the rebind");
        });
    }

    @Rule(id = "UDP-13", capability = Capability.UDP, value = "a connected UDP port receives datagrams only from its "
            + "peer, not from other senders")
    @TrialTest
    Deferred<Void> aConnectedPortFiltersSenders(TrialContext test) {
        Inbox inbox = new Inbox(1);
        return Rut.start(test, reactor -> {
            DatagramTransport connected = listen(reactor, inbox);
            DatagramTransport peer = listen(reactor, new Inbox(0));
            DatagramTransport stranger = listen(reactor, new Inbox(0));
            connected.connect(Net.LOOPBACK, Net.port(peer));
            // The stranger's datagram is sent first: had it been let in, it would arrive first.
            send(stranger, "from a stranger", connected);
            send(peer, "from the peer", connected);
            return inbox.arrived;
        }).addVoidCallback(got -> {
            assertThat(got).as("the first datagram the connected port received (it accepted a datagram from a sender "
                    + "other than its peer)").containsExactly("from the peer");
        });
    }

    @Rule(id = "UDP-14", capability = Capability.UDP, value = "write(datagram) on a port that is not connected throws "
            + "IllegalStateException and sends nothing")
    @TrialTest
    Deferred<Void> writeBeforeConnectSendsNothing(TrialContext test) {
        Inbox inbox = new Inbox(2);
        return Rut.start(test, reactor -> {
            DatagramTransport receiver = listen(reactor, inbox);
            DatagramTransport sender = listen(reactor, new Inbox(0));
            // Nothing tells the sender where to send; the last address it wrote to must not be used either.
            send(sender, "addressed", receiver);
            assertThat(catchThrowable(() -> sender.write(Bytes.utf8("unaddressed"))))
                    .as("write(datagram) on an unconnected port was accepted").isInstanceOf(IllegalStateException.class);
            send(sender, "addressed again", receiver);
            return inbox.arrived;
        }).addVoidCallback(got -> {
            assertThat(got).as("what the receiver got (write before connect sent a datagram)")
                    .containsExactly("addressed", "addressed again");
        });
    }

    @Rule(id = "UDP-15", capability = Capability.UDP, value = "stopListening called from startProtocol calls "
            + "stopProtocol later, not inside startProtocol")
    @TrialTest
    Deferred<Void> stopProtocolIsNotReentrant(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            Deferred<Void> stopped = new Deferred<>();
            DatagramProtocol protocol = new DatagramProtocol() {
                boolean starting;

                @Override
                public void startProtocol() {
                    starting = true;
                    seen.add("startProtocol");
                    transport().stopListening();
                    starting = false;
                }

                @Override
                public void stopProtocol() {
                    seen.add(starting ? "stopProtocol inside startProtocol" : "stopProtocol");
                    stopped.callback(null);
                }
            };
            listen(reactor, protocol);
            return stopped;
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what the protocol heard (stopProtocol was called re-entrantly)")
                    .containsExactly("startProtocol", "stopProtocol");
        });
    }

    @Rule(id = "UDP-16", capability = Capability.UDP, value = "stop() called from datagramReceived stops the reactor "
            + "cleanly: stopProtocol is called once and run() returns")
    @TrialTest
    Deferred<Void> stopFromDatagramReceived(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.callWhenRunning(() -> {
            DatagramProtocol protocol = new DatagramProtocol() {
                @Override
                public void datagramReceived(byte[] data, Address from) {
                    seen.add("datagramReceived");
                    if (seen.size() == 1) {
                        reactor.stop();
                    }
                }

                @Override
                public void stopProtocol() {
                    seen.add("stopProtocol");
                }
            };
            DatagramTransport port = listen(reactor, protocol);
            DatagramTransport sender = listen(reactor, new Inbox(0));
            for (int i = 0; i < 5; i++) {
                send(sender, "datagram " + i, port);
            }
        });
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("had to be crashed: stop() from datagramReceived did not stop the reactor").isFalse();
            assertThat(seen).as("what the protocol heard").startsWith("datagramReceived").endsWith("stopProtocol");
            assertThat(seen.stream().filter("stopProtocol"::equals).count()).as("stopProtocol calls").isEqualTo(1);
        });
    }

    @Rule(id = "UDP-17", capability = Capability.UDP, value = "a port that sent a datagram to a closed port still "
            + "receives what comes to it afterwards")
    @TrialTest
    Deferred<Void> sendingToAClosedPortDoesNotStopReading(TrialContext test) throws Exception {
        int closed;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK))) {
            closed = socket.getLocalPort();
        }
        Inbox inbox = new Inbox(1);
        return Rut.start(test, reactor -> {
            DatagramTransport port = listen(reactor, inbox);
            port.write(Bytes.utf8("nobody listens here"), Net.LOOPBACK, closed);
            DatagramTransport sender = listen(reactor, new Inbox(0));
            send(sender, "for the port", port);
            return inbox.arrived;
        }).addVoidCallback(got -> {
            assertThat(got).as("what the port received after writing to a closed port").containsExactly("for the port");
        });
    }

    @Rule(id = "UDP-18", capability = Capability.UDP, value = "connect to a host that is not an IP address throws "
            + "IllegalArgumentException, and connecting a connected port again throws IllegalStateException")
    @TrialTest
    Deferred<Void> badConnectsAreRefused(TrialContext test) {
        Inbox inbox = new Inbox(1);
        return Rut.start(test, reactor -> {
            DatagramTransport port = listen(reactor, inbox);
            DatagramTransport peer = listen(reactor, new Inbox(0));
            DatagramTransport other = listen(reactor, new Inbox(0));
            assertThat(catchThrowable(() -> port.connect("localhost", Net.port(peer))))
                    .as("connect to a host name (not an IP address) was accepted").isInstanceOf(IllegalArgumentException.class);
            port.connect(Net.LOOPBACK, Net.port(peer));
            assertThat(catchThrowable(() -> port.connect(Net.LOOPBACK, Net.port(other))))
                    .as("connect on a port that is already connected was accepted").isInstanceOf(IllegalStateException.class);
            // Still connected to the first peer: a datagram from the other is not let in, one from the peer is.
            send(other, "from the other", port);
            send(peer, "from the peer", port);
            return inbox.arrived;
        }).addVoidCallback(got -> {
            assertThat(got).as("what the port received (a refused second connect changed its peer)")
                    .containsExactly("from the peer");
        });
    }

    @Rule(id = "UDP-19", capability = Capability.UDP, value = "a port bound to an IPv4 address refuses a write to an "
            + "IPv6 address with IllegalArgumentException")
    @TrialTest
    Deferred<Void> anIpv4PortRefusesIpv6Destinations(TrialContext test) {
        return Rut.start(test, reactor -> {
            DatagramTransport port = listen(reactor, new Inbox(0));
            assertThat(catchThrowable(() -> port.write(Bytes.utf8("to ::1"), "::1", 9)))
                    .as("a write to an IPv6 address from an IPv4 port was not refused with IllegalArgumentException")
                    .isInstanceOf(IllegalArgumentException.class);
            return Deferred.succeed(null);
        });
    }
}
