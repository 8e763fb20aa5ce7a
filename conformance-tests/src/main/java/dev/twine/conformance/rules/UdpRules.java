package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ReactorUDP;
import dev.twine.testing.Poll;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/** UDP: Twisted's test_udp, with a plain JDK socket as the peer. */
@API(status = INTERNAL, since = "0.1")
public class UdpRules extends RuleSet {

    /** Records datagrams and the protocol's callbacks. */
    static class Recording extends DatagramProtocol {
        final List<String> events = new ArrayList<>();
        final List<String> datagrams = new ArrayList<>();
        final List<Address> senders = new ArrayList<>();

        @Override
        public void startProtocol() {
            events.add("startProtocol");
        }

        @Override
        public void stopProtocol() {
            events.add("stopProtocol");
        }

        @Override
        public void datagramReceived(byte[] data, Address from) {
            datagrams.add(new String(data, StandardCharsets.UTF_8));
            senders.add(from);
        }

        @Override
        public void connectionRefused() {
            events.add("connectionRefused");
        }
    }

    private static ReactorUDP udp(dev.twine.reactor.Reactor reactor) {
        if (!(reactor instanceof ReactorUDP udp)) {
            throw new AssertionError("the provider declares UDP but its reactor does not implement ReactorUDP");
        }
        return udp;
    }

    /** A JDK socket that receives one datagram and answers it with {@code reply}; completes with what it got. */
    private static CompletableFuture<String> answerOnce(DatagramSocket socket, String reply) {
        return Peer.run("udp-peer", () -> {
            try (socket) {
                socket.setSoTimeout(10_000);
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                socket.receive(packet);
                String got = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                byte[] answer = Bytes.utf8(reply);
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                return got;
            }
        });
    }

    @Rule(id = "UDP-01", capability = Capability.UDP, value = "listenUDP on port 0 binds a port, getHost() gives it as a "
            + "UDP address, and the protocol hears startProtocol")
    @TrialTest
    Deferred<Void> listenUdp(TrialContext test) {
        Recording protocol = new Recording();
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            Address host = port.getHost();
            return port.stopListening().addCallback(ignored -> host);
        }).addVoidCallback(host -> {
            assertThat(host).as("getHost()").isEqualTo(new IPv4Address("UDP", "127.0.0.1", Net.port(host)));
            assertThat(Net.port(host)).as("the port bound").isPositive();
            assertThat(protocol.events).as("the protocol's callbacks").startsWith("startProtocol");
        });
    }

    @Rule(id = "UDP-02", capability = Capability.UDP, value = "a datagram sent to the port arrives whole, with the "
            + "sender's address")
    @TrialTest
    Deferred<Void> datagramsArriveWithTheSender(TrialContext test) throws Exception {
        Recording protocol = new Recording();
        DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK));
        test.addCleanup(peer::close);
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            byte[] data = Bytes.utf8("a whole datagram");
            Peer.run("udp-sender", () -> {
                peer.send(new DatagramPacket(data, data.length, new InetSocketAddress(Net.LOOPBACK, Net.port(port))));
                return null;
            });
            return Poll.until(reactor, () -> !protocol.datagrams.isEmpty());
        }).addVoidCallback(ignored -> {
            assertThat(protocol.datagrams).as("the datagrams received").containsExactly("a whole datagram");
            assertThat(protocol.senders.get(0)).as("the sender's address")
                    .isEqualTo(new IPv4Address("UDP", "127.0.0.1", peer.getLocalPort()));
        });
    }

    @Rule(id = "UDP-03", capability = Capability.UDP, value = "write(datagram, host, port) sends one datagram to that "
            + "address, and the answer comes back")
    @TrialTest
    Deferred<Void> writeSendsToTheAddress(TrialContext test) throws Exception {
        Recording protocol = new Recording();
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK));
        test.addCleanup(socket::close);
        CompletableFuture<String> peer = answerOnce(socket, "pong");
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            port.write(Bytes.utf8("ping"), Net.LOOPBACK, socket.getLocalPort());
            return Poll.future(reactor, peer).addDeferredCallback(got -> Poll.until(reactor, () -> !protocol.datagrams.isEmpty())
                    .addCallback(ignored -> got));
        }).addVoidCallback(got -> {
            assertThat(got).as("what the peer received").isEqualTo("ping");
            assertThat(protocol.datagrams).as("the answers received").containsExactly("pong");
        });
    }

    @Rule(id = "UDP-04", capability = Capability.UDP, value = "a connected UDP port sends write(datagram) to its peer "
            + "and refuses writes to any other address")
    @TrialTest
    Deferred<Void> connectedModeSendsToItsPeer(TrialContext test) throws Exception {
        Recording protocol = new Recording();
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK));
        test.addCleanup(socket::close);
        CompletableFuture<String> peer = answerOnce(socket, "answer");
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            port.connect(Net.LOOPBACK, socket.getLocalPort());
            assertThatThrownBy(() -> port.write(Bytes.utf8("x"), Net.LOOPBACK, socket.getLocalPort() + 1))
                    .as("a connected port's write to another address").isInstanceOf(IllegalStateException.class);
            port.write(Bytes.utf8("to my peer"));
            return Poll.future(reactor, peer).addDeferredCallback(got -> Poll.until(reactor, () -> !protocol.datagrams.isEmpty())
                    .addCallback(ignored -> got));
        }).addVoidCallback(got -> {
            assertThat(got).as("what the peer received").isEqualTo("to my peer");
            assertThat(protocol.datagrams).as("the answers received").containsExactly("answer");
        });
    }

    @Rule(id = "UDP-05", capability = Capability.UDP, value = "a connected UDP port whose peer has no socket hears "
            + "connectionRefused")
    @TrialTest
    Deferred<Void> connectedModeHearsRefusals(TrialContext test) throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK))) {
            closed = s.getLocalPort();
        }
        Recording protocol = new Recording();
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            port.connect(Net.LOOPBACK, closed);
            Runnable[] send = new Runnable[1];
            send[0] = () -> {
                if (!protocol.events.contains("connectionRefused")) {
                    port.write(Bytes.utf8("anyone there?"));
                    reactor.callLater(java.time.Duration.ofMillis(20), send[0]);
                }
            };
            send[0].run();
            return Poll.until(reactor, () -> protocol.events.contains("connectionRefused"));
        }).addVoidCallback(ignored -> {
            assertThat(protocol.events).as("the protocol's callbacks").contains("connectionRefused");
        });
    }

    @Rule(id = "UDP-06", capability = Capability.UDP, value = "stopListening() on a UDP port closes its socket, calls "
            + "stopProtocol, and only then fires its Deferred: the port can be bound again at once, while the reactor runs")
    @TrialTest
    Deferred<Void> stopListeningFreesThePort(TrialContext test) {
        Recording protocol = new Recording();
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            int number = Net.port(port);
            return port.stopListening().addCallback(ignored -> {
                // Still on the reactor's thread, in the Deferred's callback: the socket must be closed by now.
                List<String> seen = new ArrayList<>(protocol.events);
                try (DatagramSocket again = new DatagramSocket(number, InetAddress.getByName(Net.LOOPBACK))) {
                    seen.add("bound again");
                } catch (java.io.IOException e) {
                    seen.add("the port was still bound when stopListening's Deferred fired (" + e.getMessage() + ")");
                }
                return seen;
            });
        }).addVoidCallback(seen -> {
            assertThat(seen).as("the protocol's callbacks when stopListening's Deferred fired, then binding its port again")
                    .containsExactly("startProtocol", "stopProtocol", "bound again");
        });
    }

    @Rule(id = "UDP-07", capability = Capability.UDP, value = "listenUDP on an interface that is not an address throws "
            + "IllegalArgumentException, and so does write to a host that is not an address")
    @TrialTest
    Deferred<Void> badAddressesAreRefused(TrialContext test) {
        return Rut.start(test, reactor -> {
            assertThatThrownBy(() -> udp(reactor).listenUDP(0, new Recording(), "not-an-address", 8192))
                    .as("listenUDP on a host name").isInstanceOf(IllegalArgumentException.class);
            DatagramTransport port = udp(reactor).listenUDP(0, new Recording(), Net.LOOPBACK, 8192);
            assertThatThrownBy(() -> port.write(new byte[1], "localhost", 9)).as("write to a host name")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> port.write(new byte[1])).as("write() when not connected")
                    .isInstanceOf(IllegalStateException.class);
            return port.stopListening();
        });
    }

    /** Where the loopback interface broadcasts (Linux's lo is 127.0.0.1/8). */
    static final String LOOPBACK_BROADCAST = "127.255.255.255";

    @Rule(id = "UDP-08", capability = Capability.UDP, value = "setBroadcastAllowed reaches the socket: allowed, a "
            + "datagram to a broadcast address is sent; disallowed, it is not; getBroadcastAllowed reads it back")
    @TrialTest
    Deferred<Void> broadcastReachesTheSocket(TrialContext test) throws Exception {
        DatagramSocket receiver;
        try {
            receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK_BROADCAST), 0));
        } catch (java.io.IOException e) {
            throw new SkipTest(TcpFaultRules.NOT_CHECKABLE + "no loopback broadcast address " + LOOPBACK_BROADCAST
                    + " to receive on (" + e.getMessage() + ")");
        }
        test.addCleanup(receiver::close);
        CompletableFuture<List<String>> received = Peer.run("broadcast-receiver", () -> {
            receiver.setSoTimeout(20_000);
            List<String> got = new ArrayList<>();
            while (!got.contains("allowed again")) {
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                receiver.receive(packet);
                got.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
            return got;
        });
        List<Object> readBack = new ArrayList<>();
        return Rut.start(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, new Recording(), Net.LOOPBACK, 8192);
            int to = receiver.getLocalPort();
            port.setBroadcastAllowed(true);
            readBack.add(port.getBroadcastAllowed());
            port.write(Bytes.utf8("allowed"), LOOPBACK_BROADCAST, to);
            port.setBroadcastAllowed(false);
            readBack.add(port.getBroadcastAllowed());
            try {
                port.write(Bytes.utf8("disallowed"), LOOPBACK_BROADCAST, to);
            } catch (RuntimeException refused) {
                // the kernel refuses (EACCES); a reactor may throw it or log it
            }
            port.setBroadcastAllowed(true);
            port.write(Bytes.utf8("allowed again"), LOOPBACK_BROADCAST, to);
            return Poll.future(reactor, received).addDeferredCallback(got -> port.stopListening().addCallback(ignored -> got));
        }).addVoidCallback(got -> {
            test.flushLoggedErrors(); // the refused send, if the reactor logs it rather than throwing
            assertThat(readBack).as("getBroadcastAllowed after allowing, then disallowing").containsExactly(true, false);
            assertThat(got).as("the datagrams a receiver on the broadcast address got (the option must reach the socket)")
                    .containsExactly("allowed", "allowed again");
        });
    }
}
