package dev.twine.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.reactor.Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UDP between simulated hosts: seeded drop, duplication and reordering, and partitions. */
class SimUdpTest {

    static final class Receiver extends DatagramProtocol {
        final List<String> got = new ArrayList<>();

        @Override
        public void datagramReceived(byte[] data, Address from) {
            got.add(new String(data, StandardCharsets.UTF_8));
        }
    }

    /** Sends datagrams 0..count-1 from a host "a" to a host "b", one every millisecond, and returns what b got. */
    private static List<String> exchange(long seed, SimulationOptions options, int count) {
        Simulation sim = new Simulation(seed, options);
        SimulatedReactor a = sim.host("a");
        SimulatedReactor b = sim.host("b");
        Receiver receiver = new Receiver();
        DatagramTransport listening = b.listenUDP(9000, receiver);
        DatagramTransport sender = a.listenUDP(0, new DatagramProtocol() { });
        for (int i = 0; i < count; i++) {
            byte[] datagram = String.valueOf(i).getBytes(StandardCharsets.UTF_8);
            a.callLater(Duration.ofMillis(i), () -> sender.write(datagram, b.address(), 9000)); // UDP takes addresses, not names
        }
        sim.run();
        listening.stopListening();
        sender.stopListening();
        sim.run();
        return receiver.got;
    }

    private static List<String> numbers(int count) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(String.valueOf(i));
        }
        return all;
    }

    /** A fixed latency, so that only the UDP options (not the seeded latency) reorder datagrams. */
    private static final SimulationOptions STEADY = SimulationOptions.defaults().withLatency(Duration.ofMillis(2), Duration.ofMillis(2));

    @Test
    void withoutFaultsEveryDatagramArrivesOnceInOrder() {
        assertThat(exchange(1, STEADY.withUdp(0, 0, 0), 200)).isEqualTo(numbers(200));
        assertThat(exchange(1, SimulationOptions.defaults().withUdp(0, 0, 0), 200)).as("with seeded latency, in any order")
                .containsExactlyInAnyOrderElementsOf(numbers(200));
    }

    @Test
    void dropsAreSeededAndTheSameSeedDropsTheSameDatagrams() {
        SimulationOptions lossy = SimulationOptions.defaults().withUdp(0.3, 0, 0);
        List<String> first = exchange(7, lossy, 500);
        assertThat(first).hasSizeBetween(250, 450).isSubsetOf(numbers(500)).doesNotHaveDuplicates();
        assertThat(exchange(7, lossy, 500)).as("the same seed").isEqualTo(first);
        assertThat(exchange(8, lossy, 500)).as("another seed").isNotEqualTo(first);
    }

    @Test
    void duplicatesAndReorderingKeepEveryDatagramWhole() {
        List<String> got = exchange(3, STEADY.withUdp(0, 0.2, 0.2), 500);
        assertThat(got).as("duplicated: more arrive than were sent").hasSizeGreaterThan(500);
        assertThat(got.stream().distinct().sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList())
                .as("nothing lost or mangled").isEqualTo(numbers(500));
        assertThat(got).as("some arrive after a later one").isNotEqualTo(got.stream()
                .sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList());
    }

    @Test
    void aPartitionDropsDatagramsUntilItHeals() {
        SimulationOptions options = SimulationOptions.defaults().withUdp(0, 0, 0)
                .withFaults(FaultPlan.parse("partition(host=a, peer=b, at=50ms, for=100ms)"));
        List<String> got = exchange(1, options, 300);
        assertThat(got).contains("0", "40", "160", "299").doesNotContain("60", "100", "140");
    }
}
