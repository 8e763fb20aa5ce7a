package dev.twine.tutorial.sim;

import dev.twine.defer.Deferred;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.sim.FaultPlan;
import dev.twine.sim.Simulated;
import dev.twine.sim.SimulatedReactor;
import dev.twine.sim.Simulation;
import dev.twine.sim.SimulationFailure;
import dev.twine.trial.TrialTest;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.programs.Client7;
import dev.twine.tutorial.programs.PoetryProxy;
import dev.twine.tutorial.servers.SlowPoetry;
import dev.twine.tutorial.servers.TransformServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The showcase of issue 15: the tutorial under simulation. Client 8.0 fetches three poems through
 * the poetry proxy (3.0) from three slow poetry servers and has each cummingsified by the transform
 * server; all six programs are the tutorial's own, unchanged, each on a simulated host of one
 * {@link Simulation}. Each seed chooses the latencies, how the bytes are sliced, the order of
 * simultaneous events, and up to three faults (resets, crashes, partitions, refused connections,
 * stalls, latency spikes, one-byte segments) on the poetry servers and the proxy.
 *
 * <p>Whatever the seed, every poem must arrive exactly (byte for byte the poem, cummingsified or,
 * if the transform failed, as it is) or fail with a clear reason (the client's {@code The poem
 * download failed: <reason>}), and none may arrive twice. {@code ./mvnw verify} runs 1,000 seeds;
 * {@code -Dtwine.sim.runs=10000} runs 10,000, and {@code -Dtwine.sim.seed=S} replays seed S.
 */
class TutorialUnderSimulationTest {

    /** What the tutorial's clients print, line by line (as {@link Console#println} and {@code errln} print them). */
    static final class Lines extends PrintStream {
        final List<String> lines = new ArrayList<>();

        Lines() {
            super(OutputStream.nullOutputStream());
        }

        @Override
        public void println(String line) {
            lines.add(line);
        }
    }

    /** A client 8.0: fetches the poems at {@code addresses}, has them transformed, prints them. */
    @FunctionalInterface
    interface PoetryClient {
        Deferred<Void> main(Reactor reactor, HostPort transformServer, List<HostPort> addresses, Duration timeout,
                Console console);
    }

    static final List<String> POEMS = List.of(
            "Once upon a midnight dreary, while I pondered, weak and weary,\n"
                    + "Over many a quaint and curious volume of forgotten lore\n",
            "Shall I compare thee to a Summer's day?\n"
                    + "Thou art more lovely and more temperate:\n"
                    + "Rough winds do shake the darling buds of May\n",
            "Ô Saisons, ô Châteaux,\nQuelle âme est sans défauts?\n");

    /** The hosts the seed puts faults on: the client and the transform server are spared, so every failure is the proxy's or a poet's. */
    static final List<String> FAULTY_HOSTS = List.of("poet1", "poet2", "poet3", "proxy");

    /** Faults start within the first 1.5 s of virtual time, while the poems are on their way (about 1 s each). */
    static final Duration FAULT_HORIZON = Duration.ofMillis(1500);

    /** The client's download timeout (the tutorial's --timeout): a stalled or partitioned download ends with a reason. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    /** The tutorial's client 8.0: {@code Client7.main} ended by a DeferredList. */
    static final PoetryClient CLIENT_8 = (reactor, transform, addresses, timeout, console) ->
            Client7.main(reactor, transform, addresses, timeout, true, console);

    @TrialTest
    @Simulated(runs = 1000)
    void everyPoemArrivesExactlyOrFailsClearlyAndNoneTwice(Simulation seed) {
        fetchThePoems(seed, CLIENT_8);
    }

    /**
     * One run: the seed's faults, every host, client 8.0 until it ends, then the servers stopped and
     * the simulation run until nothing is left to happen (so a poem printed late would be seen).
     *
     * @throws SimulationFailure naming the seed and its faults, if a poem arrived wrong or twice, or
     *     a failure gave no reason
     */
    static void fetchThePoems(Simulation seed, PoetryClient client8) {
        // The seed loop's simulation has fixed faults; this run's faults are chosen by the same seed,
        // so -Dtwine.sim.seed=S replays them too.
        FaultPlan faults = FaultPlan.random(seed.seed(), FAULTY_HOSTS, FAULT_HORIZON, (int) Math.floorMod(seed.seed(), 4L));
        Simulation sim = new Simulation(seed.seed(), seed.options().withFaults(faults));
        Console quiet = new Console(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
        List<ListeningPort> ports = new ArrayList<>();
        List<HostPort> proxied = new ArrayList<>();
        SimulatedReactor proxy = sim.host("proxy");
        for (int i = 0; i < POEMS.size(); i++) {
            String poet = "poet" + (i + 1);
            ports.add(SlowPoetry.listen(sim.host(poet), POEMS.get(i), poet, 20, Duration.ofMillis(100), 10000, "", quiet));
            ports.add(PoetryProxy.listen(proxy, PoetryProxy.Version.V3, new HostPort(poet, 10000), 8001 + i, "", quiet));
            proxied.add(new HostPort("proxy", 8001 + i));
        }
        ports.add(TransformServer.listen(sim.host("transform"), 11000, "", quiet));
        Lines out = new Lines();
        Lines err = new Lines();
        Deferred<Void> done = client8.main(sim.host("client"), new HostPort("transform", 11000), proxied, CLIENT_TIMEOUT,
                new Console(out, err));
        try {
            sim.runUntil(done);
            for (ListeningPort port : ports) {
                port.stopListening();
            }
            sim.run();
        } catch (SimulationFailure failure) {
            throw failure;
        } catch (RuntimeException | Error e) {
            throw sim.failure("client 8.0 did not end normally", e);
        }
        String wrong = check(out.lines, err.lines, faults.isEmpty());
        if (wrong != null) {
            throw sim.failure(wrong + " (standard output: " + out.lines + ", standard error: " + err.lines + ")", null);
        }
        // What the seed loop's janitor checks on its own simulation: nothing left behind.
        List<String> leftovers = sim.leftovers();
        if (!leftovers.isEmpty()) {
            throw sim.failure("left behind once the servers stopped: " + leftovers, null);
        }
    }

    /** What is wrong with what the client printed, or null; with no faults, every poem must arrive. */
    static String check(List<String> out, List<String> err, boolean noFaults) {
        int[] arrived = new int[POEMS.size()];
        for (String text : out) {
            int which = -1;
            for (int i = 0; i < POEMS.size(); i++) {
                if (text.equals(POEMS.get(i)) || text.equals(POEMS.get(i).toLowerCase(Locale.ROOT))) {
                    which = i;
                }
            }
            if (which < 0) {
                return "a poem arrived that is not a poem: '" + text + "' (" + text.length() + " characters)";
            }
            if (++arrived[which] > 1) {
                return "poem " + (which + 1) + " arrived twice";
            }
        }
        int failed = 0;
        for (String line : err) {
            if (line.startsWith("The poem download failed: ")) {
                String reason = line.substring("The poem download failed: ".length());
                if (reason.isBlank() || reason.equals("null")) {
                    return "a poem failed without a reason: '" + line + "'";
                }
                failed++;
            } else if (!line.startsWith("Cummingsify failed! ")) {
                return "the client printed an unexpected error: '" + line + "'";
            }
        }
        if (noFaults && failed > 0) {
            return failed + " poems failed with no fault injected";
        }
        if (out.size() + failed != POEMS.size()) {
            return out.size() + " poems arrived and " + failed + " failed, of " + POEMS.size();
        }
        return null;
    }
}
