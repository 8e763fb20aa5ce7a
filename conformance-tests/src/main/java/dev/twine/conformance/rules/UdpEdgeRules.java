package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Misuse;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorUDP;
import dev.twine.testing.Poll;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * UDP at the edges the first rules leave open: the largest datagram read, a protocol that throws
 * or closes its port while datagrams wait, a transport used wrongly, IPv6. Found by mutation
 * testing of the built-in reactor (./twine mutation).
 */
@API(status = INTERNAL, since = "0.1")
public class UdpEdgeRules extends RuleSet {

    private static ReactorUDP udp(Reactor reactor) {
        if (!(reactor instanceof ReactorUDP udp)) {
            throw new AssertionError("the provider declares UDP but its reactor does not implement ReactorUDP");
        }
        return udp;
    }

    /** Records each datagram as text; {@code onDatagram} runs after recording. */
    private static class Recording extends DatagramProtocol {
        final List<String> datagrams = new CopyOnWriteArrayList<>();
        final List<Address> senders = new CopyOnWriteArrayList<>();
        int stops;

        @Override
        public void datagramReceived(byte[] data, Address from) {
            datagrams.add(new String(data, StandardCharsets.UTF_8));
            senders.add(from);
            onDatagram();
        }

        void onDatagram() {
        }

        @Override
        public void stopProtocol() {
            stops++;
        }
    }

    /** Sends each text as one datagram from {@code socket} to the port, now. */
    private static void send(DatagramSocket socket, String host, DatagramTransport port, String... texts) {
        try {
            for (String text : texts) {
                byte[] data = Bytes.utf8(text);
                socket.send(new DatagramPacket(data, data.length, new InetSocketAddress(host, Net.port(port.getHost()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DatagramSocket socket(TrialContext test, String host) throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(host));
        test.addCleanup(socket::close);
        return socket;
    }

    @Rule(id = "UDP-30", capability = Capability.UDP, value = "a datagram longer than the port's maxPacketSize arrives "
            + "cut to maxPacketSize bytes, and a maxPacketSize below 1 (but not 1) throws IllegalArgumentException")
    @TrialTest
    Deferred<Void> maxPacketSizeCutsLongDatagrams(TrialContext test) throws IOException {
        DatagramSocket peer = socket(test, Net.LOOPBACK);
        Recording protocol = new Recording();
        List<String> accepted = new ArrayList<>();
        return Rut.start(test, reactor -> {
            try {
                udp(reactor).listenUDP(0, new Recording(), Net.LOOPBACK, 0).stopListening();
                accepted.add("maxPacketSize 0");
            } catch (IllegalArgumentException expected) {
                // the contract
            }
            try {
                udp(reactor).listenUDP(0, new Recording(), Net.LOOPBACK, 1).stopListening();
            } catch (IllegalArgumentException wrong) {
                accepted.add("maxPacketSize 1 refused: " + wrong.getMessage());
            }
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 10);
            send(peer, Net.LOOPBACK, port, "0123456789 and more", "short");
            return Poll.until(reactor, () -> protocol.datagrams.size() == 2);
        }).addVoidCallback(ignored -> {
            assertThat(accepted).as("listenUDP calls with maxPacketSize 0 that did not throw IllegalArgumentException, and "
                    + "with 1 that did").isEmpty();
            assertThat(protocol.datagrams).as("datagrams received with maxPacketSize 10").containsExactly("0123456789",
                    "short");
        });
    }

    @Rule(id = "UDP-31", capability = Capability.UDP, value = "a protocol whose datagramReceived throws is logged, and "
            + "the port goes on receiving")
    @TrialTest
    Deferred<Void> aThrowingDatagramReceived(TrialContext test) throws IOException {
        DatagramSocket peer = socket(test, Net.LOOPBACK);
        Recording protocol = new Recording() {
            @Override
            void onDatagram() {
                if (datagrams.size() == 1) {
                    throw new IllegalStateException("datagramReceived failed on purpose");
                }
            }
        };
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            send(peer, Net.LOOPBACK, port, "first");
            return Poll.until(reactor, () -> protocol.datagrams.size() == 1).addDeferredCallback(ignored -> {
                send(peer, Net.LOOPBACK, port, "second");
                return Poll.until(reactor, () -> protocol.datagrams.size() == 2);
            });
        }).addVoidCallback(ignored -> {
            assertThat(protocol.datagrams).as("datagrams received").containsExactly("first", "second");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "UDP-32", capability = Capability.UDP, value = "stopListening() from datagramReceived, with more "
            + "datagrams waiting, delivers none of them and logs nothing; every stopListening() Deferred fires, one "
            + "asked after the port closed at once")
    @TrialTest
    Deferred<Void> stopListeningWhileDatagramsWait(TrialContext test) throws IOException {
        DatagramSocket peer = socket(test, Net.LOOPBACK);
        List<Deferred<Void>> stopped = new ArrayList<>();
        Recording protocol = new Recording() {
            @Override
            void onDatagram() {
                stopped.add(transport().stopListening());
                stopped.add(transport().stopListening());
            }
        };
        boolean[] lateFiredAtOnce = new boolean[1];
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            send(peer, Net.LOOPBACK, port, "one", "two", "three"); // all waiting before the reactor reads
            return Poll.until(reactor, () -> stopped.size() == 2).addDeferredCallback(ignored -> stopped.get(0))
                    .addDeferredCallback(ignored -> stopped.get(1)).addVoidCallback(ignored -> {
                        lateFiredAtOnce[0] = port.stopListening().isCalled();
                    });
        }).addVoidCallback(ignored -> {
            assertThat(protocol.datagrams).as("datagrams delivered").containsExactly("one");
            assertThat(protocol.stops).as("stopProtocol calls").isEqualTo(1);
            assertThat(lateFiredAtOnce[0]).as("whether stopListening() on the closed port fired at once").isTrue();
        });
    }

    @Rule(id = "UDP-33", capability = Capability.UDP, value = "a UDP transport used wrongly throws at once: write "
            + "without a peer or connect twice IllegalStateException, connect to a name or listenUDP on a port out of "
            + "range IllegalArgumentException (65535 is in range)")
    @TrialTest
    Deferred<Void> misuseThrows(TrialContext test) {
        List<String> wrong = new ArrayList<>();
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, new Recording(), Net.LOOPBACK, 8192);
            Misuse.expect(wrong, "write(datagram) before connect", IllegalStateException.class, () -> port.write(Bytes.utf8("x")));
            Misuse.expect(wrong, "connect(\"localhost\", 9)", IllegalArgumentException.class, () -> port.connect("localhost", 9));
            Misuse.expect(wrong, "listenUDP(65536)", IllegalArgumentException.class,
                    () -> udp(reactor).listenUDP(65536, new Recording(), Net.LOOPBACK, 8192));
            Misuse.expectInRange(wrong, "listenUDP(65535)",
                    () -> udp(reactor).listenUDP(65535, new Recording(), Net.LOOPBACK, 8192).stopListening());
            port.connect(Net.LOOPBACK, 9);
            Misuse.expect(wrong, "a second connect", IllegalStateException.class, () -> port.connect(Net.LOOPBACK, 10));
            return port.stopListening();
        }).addVoidCallback(ignored -> {
            assertThat(wrong).as("misuses that did not throw as they must").isEmpty();
        });
    }

    @Rule(id = "IPV6-20", capability = Capability.IPV6, value = "listenUDP on ::1 binds an IPv6 port: getHost() is a "
            + "UDP IPv6Address, and a datagram from an IPv6 peer arrives with its IPv6Address")
    @TrialTest
    Deferred<Void> udpOverIpv6(TrialContext test) throws IOException {
        DatagramSocket peer = socket(test, "::1");
        Recording protocol = new Recording();
        Address[] host = new Address[1];
        return Rut.start(test, reactor -> {
            if (!(reactor instanceof ReactorUDP)) {
                return Deferred.succeed(null); // IPv6 without UDP: nothing to check here
            }
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, "::1", 8192);
            host[0] = port.getHost();
            send(peer, "::1", port, "over IPv6");
            return Poll.until(reactor, () -> !protocol.datagrams.isEmpty());
        }).addCallback(ignored -> {
            if (host[0] == null) {
                return null;
            }
            assertThat(host[0]).as("the port's getHost()").isInstanceOf(IPv6Address.class);
            assertThat(((IPv6Address) host[0]).type()).as("its type").isEqualTo("UDP");
            assertThat(protocol.datagrams).as("datagrams received").containsExactly("over IPv6");
            assertThat(protocol.senders.get(0)).as("the sender's address")
                    .isEqualTo(new IPv6Address("UDP", "::1", peer.getLocalPort(), 0, 0));
            return null;
        });
    }

    @Rule(id = "UDP-34", capability = Capability.UDP, value = "stop() closes every UDP port: its protocol hears "
            + "stopProtocol before run() returns, and the port can be bound again")
    @TrialTest
    Deferred<Void> stopClosesUdpPorts(TrialContext test) {
        Recording protocol = new Recording();
        int[] port = new int[1];
        return Rut.start(test, reactor -> {
            port[0] = Net.port(udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192).getHost());
            return Deferred.succeed(null); // the harness stops the reactor now
        }).addVoidCallback(ignored -> {
            assertThat(protocol.stops).as("stopProtocol calls when run() had returned").isEqualTo(1);
            try (DatagramSocket again = new DatagramSocket(port[0], InetAddress.getByName(Net.LOOPBACK))) {
                assertThat(again.getLocalPort()).as("the port bound again").isEqualTo(port[0]);
            } catch (IOException e) {
                throw new AssertionError("the UDP port " + port[0] + " could not be bound again after stop(): " + e, e);
            }
        });
    }

    @Rule(id = "UDP-35", capability = Capability.UDP, value = "listenUDP on a port that is already bound throws "
            + "CannotListenException")
    @TrialTest
    Deferred<Void> aBoundPortCannotBeListenedOn(TrialContext test) throws IOException {
        DatagramSocket taken = socket(test, Net.LOOPBACK);
        String[] outcome = new String[1];
        return Rut.start(test, reactor -> {
            try {
                udp(reactor).listenUDP(taken.getLocalPort(), new Recording(), Net.LOOPBACK, 8192).stopListening();
                outcome[0] = "listenUDP returned a port";
            } catch (dev.twine.reactor.CannotListenException expected) {
                outcome[0] = "CannotListenException";
            } catch (RuntimeException e) {
                outcome[0] = e.toString();
            }
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(outcome[0]).as("what listenUDP on a bound port did").isEqualTo("CannotListenException");
        });
    }

    @Rule(id = "UDP-36", capability = Capability.UDP, value = "listenUDP(port, protocol) listens on every IPv4 "
            + "interface: getHost() gives host 0.0.0.0 and the port bound, and a datagram sent to 127.0.0.1 arrives")
    @TrialTest
    Deferred<Void> listenOnEveryIpv4Interface(TrialContext test) throws IOException {
        DatagramSocket peer = socket(test, Net.LOOPBACK);
        Recording protocol = new Recording();
        Address[] host = new Address[1];
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol);
            host[0] = port.getHost();
            send(peer, Net.LOOPBACK, port, "to every interface");
            return Poll.until(reactor, () -> protocol.datagrams.size() == 1).addDeferredCallback(ignored -> port.stopListening());
        }).addVoidCallback(ignored -> {
            assertThat(host[0]).as("getHost() of listenUDP(0, protocol)").isInstanceOf(dev.twine.reactor.IPv4Address.class);
            assertThat(((dev.twine.reactor.IPv4Address) host[0]).host()).as("its host").isEqualTo("0.0.0.0");
            assertThat(Net.port(host[0])).as("its port").isPositive();
            assertThat(protocol.datagrams).as("datagrams received from 127.0.0.1").containsExactly("to every interface");
        });
    }

    @Rule(id = "UDP-37", capability = Capability.UDP, value = "an exception thrown by startProtocol, stopProtocol or "
            + "connectionRefused is logged: listenUDP still returns a port that receives, stopListening still fires its "
            + "Deferred and frees the port, and a connected port goes on sending after its connectionRefused threw")
    @TrialTest
    Deferred<Void> throwingUdpCallbacksAreLogged(TrialContext test) throws IOException {
        DatagramSocket peer = socket(test, Net.LOOPBACK);
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK))) {
            closed = s.getLocalPort();
        }
        List<String> calls = new CopyOnWriteArrayList<>();
        Recording protocol = new Recording() {
            @Override
            public void startProtocol() {
                calls.add("startProtocol");
                throw new IllegalStateException("startProtocol failed on purpose");
            }

            @Override
            public void stopProtocol() {
                super.stopProtocol();
                calls.add("stopProtocol");
                throw new IllegalStateException("stopProtocol failed on purpose");
            }
        };
        Recording refusing = new Recording() {
            @Override
            public void connectionRefused() {
                calls.add("connectionRefused");
                throw new IllegalStateException("connectionRefused failed on purpose");
            }
        };
        int[] bound = new int[1];
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            bound[0] = Net.port(port.getHost());
            send(peer, Net.LOOPBACK, port, "after a failed startProtocol");
            DatagramTransport connected = udp(reactor).listenUDP(0, refusing, Net.LOOPBACK, 8192);
            connected.connect(Net.LOOPBACK, closed);
            Runnable[] knock = new Runnable[1];
            knock[0] = () -> {
                connected.write(Bytes.utf8(calls.contains("connectionRefused") ? "after it threw" : "anyone there?"));
                if (!calls.contains("connectionRefused")) {
                    reactor.callLater(Duration.ofMillis(20), knock[0]);
                }
            };
            knock[0].run();
            return Poll.until(reactor, () -> protocol.datagrams.size() == 1 && calls.contains("connectionRefused"))
                    .addDeferredCallback(ignored -> port.stopListening())
                    .addDeferredCallback(ignored -> {
                        // The port is free again: bind it once more, then let go.
                        udp(reactor).listenUDP(bound[0], new Recording(), Net.LOOPBACK, 8192).stopListening();
                        connected.write(Bytes.utf8("after it threw"));
                        return connected.stopListening();
                    });
        }).addVoidCallback(ignored -> {
            assertThat(protocol.datagrams).as("datagrams received after startProtocol threw")
                    .containsExactly("after a failed startProtocol");
            assertThat(calls).as("the throwing callbacks that ran").contains("startProtocol", "stopProtocol",
                    "connectionRefused");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged")
                    .extracting(f -> f.value().getMessage())
                    .contains("startProtocol failed on purpose", "stopProtocol failed on purpose",
                            "connectionRefused failed on purpose");
        });
    }
}
