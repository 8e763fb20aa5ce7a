package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpTest {
    private final Harness harness = new Harness();

    static class Recording extends DatagramProtocol {
        final List<String> events = new ArrayList<>();
        final List<String> datagrams = new ArrayList<>();
        final List<Address> senders = new ArrayList<>();
        Deferred<String> next = new Deferred<>();
        final Deferred<Void> refused = new Deferred<>();

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
            String text = new String(data, UTF_8);
            datagrams.add(text);
            senders.add(from);
            Deferred<String> d = next;
            next = new Deferred<>();
            d.callback(text);
        }

        @Override
        public void connectionRefused() {
            events.add("connectionRefused");
            if (!refused.isCalled()) {
                refused.callback(null);
            }
        }
    }

    @Test
    void datagramsArriveWithTheSendersAddress() {
        Recording a = new Recording();
        Recording b = new Recording();
        harness.run(reactor -> inlineCallbacks(() -> {
            DatagramTransport portA = reactor.listenUDP(0, a, "127.0.0.1", 8192);
            DatagramTransport portB = reactor.listenUDP(0, b, "127.0.0.1", 8192);
            int bPort = ((IPv4Address) portB.getHost()).port();
            Deferred<String> got = b.next;
            portA.write("ping".getBytes(UTF_8), "127.0.0.1", bPort);
            assertThat(await(got)).isEqualTo("ping");
            await(portA.stopListening());
            await(portB.stopListening());
            return null;
        }));
        assertThat(b.senders.get(0)).isInstanceOf(IPv4Address.class).hasFieldOrPropertyWithValue("type", "UDP")
                .hasFieldOrPropertyWithValue("host", "127.0.0.1");
        assertThat(a.events).containsExactly("startProtocol", "stopProtocol");
    }

    @Test
    void connectedModeSendsToItsPeerAndHearsRefusals() throws Exception {
        int closedPort;
        try (DatagramSocket s = new DatagramSocket()) {
            closedPort = s.getLocalPort();
        }
        Recording protocol = new Recording();
        harness.run(reactor -> inlineCallbacks(() -> {
            DatagramTransport port = reactor.listenUDP(0, protocol, "127.0.0.1", 8192);
            port.connect("127.0.0.1", closedPort);
            assertThatThrownBy(() -> port.write("x".getBytes(UTF_8), "127.0.0.1", closedPort + 1))
                    .isInstanceOf(IllegalStateException.class);
            port.write("anyone there?".getBytes(UTF_8));
            port.write("anyone there?".getBytes(UTF_8));
            await(protocol.refused);
            return null;
        }));
        assertThat(protocol.events).contains("connectionRefused");
    }

    @Test
    void badAddressesAreRefused() {
        NioReactor reactor = new NioReactor();
        assertThatThrownBy(() -> reactor.listenUDP(0, new Recording(), "not-an-address", 8192))
                .isInstanceOf(IllegalArgumentException.class);
        DatagramTransport port = reactor.listenUDP(0, new Recording(), "127.0.0.1", 8192);
        assertThatThrownBy(() -> port.write(new byte[1], "localhost", 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> port.write(new byte[1])).isInstanceOf(IllegalStateException.class);
        port.setBroadcastAllowed(true);
        assertThat(port.getBroadcastAllowed()).isTrue();
        port.stopListening();
    }
}
