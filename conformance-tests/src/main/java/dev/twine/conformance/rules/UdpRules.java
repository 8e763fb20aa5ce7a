package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ReactorUDP;
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

/** UDP: Twisted's test_udp, with a plain JDK socket as the peer. */
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
    void listenUdp(TrialContext test) {
        Recording protocol = new Recording();
        Address host = Rut.run(test, reactor -> Deferred.succeed(udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192)
                .getHost()));
        assertThat(host).isEqualTo(new IPv4Address("UDP", "127.0.0.1", Net.port(host)));
        assertThat(Net.port(host)).isPositive();
        assertThat(protocol.events).startsWith("startProtocol");
    }

    @Rule(id = "UDP-02", capability = Capability.UDP, value = "a datagram sent to the port arrives whole, with the "
            + "sender's address")
    @TrialTest
    void datagramsArriveWithTheSender(TrialContext test) throws Exception {
        Recording protocol = new Recording();
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK))) {
            Rut.run(test, reactor -> {
                DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
                byte[] data = Bytes.utf8("a whole datagram");
                Peer.run("udp-sender", () -> {
                    peer.send(new DatagramPacket(data, data.length, new InetSocketAddress(Net.LOOPBACK, Net.port(port))));
                    return null;
                });
                return Poll.until(reactor, () -> !protocol.datagrams.isEmpty());
            });
            assertThat(protocol.datagrams).containsExactly("a whole datagram");
            assertThat(protocol.senders.get(0)).isEqualTo(new IPv4Address("UDP", "127.0.0.1", peer.getLocalPort()));
        }
    }

    @Rule(id = "UDP-03", capability = Capability.UDP, value = "write(datagram, host, port) sends one datagram to that "
            + "address, and the answer comes back")
    @TrialTest
    void writeSendsToTheAddress(TrialContext test) throws Exception {
        Recording protocol = new Recording();
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK));
        CompletableFuture<String> peer = answerOnce(socket, "pong");
        Rut.run(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            port.write(Bytes.utf8("ping"), Net.LOOPBACK, socket.getLocalPort());
            return Poll.future(reactor, peer).addDeferredCallback(got -> Poll.until(reactor, () -> !protocol.datagrams.isEmpty()));
        });
        assertThat(peer.get()).isEqualTo("ping");
        assertThat(protocol.datagrams).containsExactly("pong");
    }

    @Rule(id = "UDP-04", capability = Capability.UDP, value = "a connected UDP port sends write(datagram) to its peer "
            + "and refuses writes to any other address")
    @TrialTest
    void connectedModeSendsToItsPeer(TrialContext test) throws Exception {
        Recording protocol = new Recording();
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK));
        CompletableFuture<String> peer = answerOnce(socket, "answer");
        Rut.run(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            port.connect(Net.LOOPBACK, socket.getLocalPort());
            assertThatThrownBy(() -> port.write(Bytes.utf8("x"), Net.LOOPBACK, socket.getLocalPort() + 1))
                    .isInstanceOf(IllegalStateException.class);
            port.write(Bytes.utf8("to my peer"));
            return Poll.future(reactor, peer).addDeferredCallback(got -> Poll.until(reactor, () -> !protocol.datagrams.isEmpty()));
        });
        assertThat(peer.get()).isEqualTo("to my peer");
        assertThat(protocol.datagrams).containsExactly("answer");
    }

    @Rule(id = "UDP-05", capability = Capability.UDP, value = "a connected UDP port whose peer has no socket hears "
            + "connectionRefused")
    @TrialTest
    void connectedModeHearsRefusals(TrialContext test) throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(Net.LOOPBACK))) {
            closed = s.getLocalPort();
        }
        Recording protocol = new Recording();
        Rut.run(test, reactor -> {
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
        });
        assertThat(protocol.events).contains("connectionRefused");
    }

    @Rule(id = "UDP-06", capability = Capability.UDP, value = "stopListening() on a UDP port fires its Deferred, calls "
            + "stopProtocol, and frees the port")
    @TrialTest
    void stopListeningFreesThePort(TrialContext test) throws Exception {
        Recording protocol = new Recording();
        int number = Rut.run(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, protocol, Net.LOOPBACK, 8192);
            int n = Net.port(port);
            return port.stopListening().addCallback(ignored -> n);
        });
        assertThat(protocol.events).containsExactly("startProtocol", "stopProtocol");
        try (DatagramSocket again = new DatagramSocket(number, InetAddress.getByName(Net.LOOPBACK))) {
            assertThat(again.getLocalPort()).isEqualTo(number);
        }
    }

    @Rule(id = "UDP-07", capability = Capability.UDP, value = "listenUDP on an interface that is not an address throws "
            + "IllegalArgumentException, and so does write to a host that is not an address")
    @TrialTest
    void badAddressesAreRefused(TrialContext test) {
        Rut.run(test, reactor -> {
            assertThatThrownBy(() -> udp(reactor).listenUDP(0, new Recording(), "not-an-address", 8192))
                    .isInstanceOf(IllegalArgumentException.class);
            DatagramTransport port = udp(reactor).listenUDP(0, new Recording(), Net.LOOPBACK, 8192);
            assertThatThrownBy(() -> port.write(new byte[1], "localhost", 9)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> port.write(new byte[1])).as("write() when not connected")
                    .isInstanceOf(IllegalStateException.class);
            return port.stopListening();
        });
    }

    @Rule(id = "UDP-08", capability = Capability.UDP, value = "broadcast can be allowed on a UDP port and read back")
    @TrialTest
    void broadcastReadsBack(TrialContext test) {
        List<Boolean> seen = Rut.run(test, reactor -> {
            DatagramTransport port = udp(reactor).listenUDP(0, new Recording(), Net.LOOPBACK, 8192);
            List<Boolean> values = new ArrayList<>();
            port.setBroadcastAllowed(true);
            values.add(port.getBroadcastAllowed());
            port.setBroadcastAllowed(false);
            values.add(port.getBroadcastAllowed());
            return port.stopListening().addCallback(ignored -> values);
        });
        assertThat(seen).containsExactly(true, false);
    }
}
