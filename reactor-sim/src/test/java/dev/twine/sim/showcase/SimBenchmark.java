package dev.twine.sim.showcase;

import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.sim.Simulation;
import dev.twine.sim.SimulatedReactor;
import java.util.Locale;

/**
 * The simulation's speed, printed: simulated events per wall-clock second (a ping-pong of small
 * messages between two hosts, every read, flush and delivery an event), and seeds per second of the
 * poetry showcase. A plain main, run by hand (not by verify):
 * {@code java -cp reactor-sim/target/classes:reactor-sim/target/test-classes:reactor-api/target/classes
 * dev.twine.sim.showcase.SimBenchmark}.
 */
public final class SimBenchmark {
    private SimBenchmark() {
    }

    /** Prints the figures. */
    public static void main(String[] args) {
        for (int round = 0; round < 3; round++) {
            pingPong(round == 2);
            showcase(round == 2);
        }
    }

    private static void pingPong(boolean print) {
        int rounds = 200_000;
        Simulation sim = new Simulation(1);
        SimulatedReactor server = sim.host("server");
        server.listenTCP(7, ProtocolFactory.forProtocol(() -> new Protocol() {
            @Override
            public void dataReceived(byte[] data) {
                transport().write(data);
            }
        }));
        sim.host("client").connectTCP("server", 7, (ClientFactory) address -> new Protocol() {
            int left = rounds;

            @Override
            public void connectionMade() {
                transport().write(new byte[1]);
            }

            @Override
            public void dataReceived(byte[] data) {
                if (--left == 0) {
                    transport().loseConnection();
                } else {
                    transport().write(data);
                }
            }
        });
        long start = System.nanoTime();
        sim.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (print) {
            System.out.printf(Locale.ROOT, "ping-pong: %d round trips, %d events in %.2f s wall (%.1f s virtual): %,.0f events/s%n",
                    rounds, sim.events(), seconds, sim.now().toNanos() / 1e9, sim.events() / seconds);
        }
    }

    private static void showcase(boolean print) {
        int seeds = 5_000;
        long events = 0;
        long start = System.nanoTime();
        for (long seed = 0; seed < seeds; seed++) {
            Poetry.run(seed, false);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (print) {
            System.out.printf(Locale.ROOT, "poetry showcase: %d seeds in %.2f s: %,.0f seeds/s%n", seeds, seconds, seeds / seconds);
        }
        if (events < 0) {
            throw new AssertionError();
        }
    }
}
