package dev.twine.benchmarks.soak;

import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServer;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.Poems;
import dev.twine.fakes.SlowPoetryServer;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.netty.NettyReactor;
import dev.twine.reactor.nio.NioReactor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.programs.PoetryProxy;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chaos soak: the tutorial's poetry proxy (3.0) on a reactor (nio, or netty), in front of slow poetry
 * servers reached through chaos relays, driven by many fake clients; loopback only, bounded by a
 * client count and a time, and it stops by itself.
 *
 * <p>The run goes in rounds. Each round draws a fault from the seed (none, slicing, latency, a
 * reset or a half-close after a number of bytes, or an upstream that refuses connections), starts a
 * relay with it in front of each poetry server and a fresh proxy (an empty cache) in front of each
 * relay, and sends its clients to the proxies in windows. Every client's bytes are checked against
 * the poem of the proxy it reached: the whole poem, a clear failure (closed with nothing), a poem
 * cut short (the tutorial's protocol ends a poem when the upstream closes, so a reset or half-close
 * upstream cuts the poem and the proxy passes the cut poem on as whole: counted apart, and only
 * in rounds that injected such a fault), or a fault of the proxy's own: bytes of another poem
 * (mixed), more than the poem (duplicated), nothing at all in a round without faults (lost), or no
 * ending (hung). Descriptors, threads and heap after a GC are sampled between rounds.
 */
public final class Soak {

    /** What a round does to the upstream connections. */
    enum Fault {
        NONE, SLICING, LATENCY, RESET, HALF_CLOSE, REFUSED
    }

    /** What a client got. */
    enum Outcome {
        POEM, CLEAR_FAILURE, CUT_BY_UPSTREAM_FAULT, MIXED, DUPLICATED, LOST, HUNG
    }

    /** The reactors the proxy can run on. */
    static final List<String> REACTORS = List.of("nio", "netty");

    /** The options; {@code reactor} is one of {@link #REACTORS}. */
    record Options(long clients, Duration limit, long seed, int roundSize, int window, int poems, String reactor) {
        Options {
            if (!REACTORS.contains(reactor)) {
                throw new IllegalArgumentException("reactor must be one of " + REACTORS + ", got '" + reactor + "'");
            }
        }
    }

    /** Resources between rounds. */
    record Sample(Duration elapsed, long clients, int descriptors, int threads, long heapAfterGc) {
    }

    /** What the run saw. */
    record Report(String reactor, long clients, Map<Outcome, Long> outcomes, Map<Fault, Long> faultRounds,
            Map<Fault, Long> faultedConnections, List<Sample> samples, Duration elapsed, boolean stoppedByTime) {

        /** Clients whose poem was lost, mixed, duplicated or never ended. */
        long wrong() {
            return outcomes.get(Outcome.MIXED) + outcomes.get(Outcome.DUPLICATED) + outcomes.get(Outcome.LOST) + outcomes.get(Outcome.HUNG);
        }

        /** The last sample against the first: descriptors and threads within a few, heap within half again plus 16 MiB. */
        boolean flat() {
            if (samples.size() < 2) {
                return true;
            }
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            return last.descriptors() <= first.descriptors() + 8 && last.threads() <= first.threads() + 2
                    && last.heapAfterGc() <= first.heapAfterGc() * 3 / 2 + (16 << 20);
        }

        void print(PrintStream out) {
            out.printf("soak: %d clients in %d s, the proxy on the %s reactor%s%n", clients, elapsed.toSeconds(), reactor,
                    stoppedByTime ? " (stopped by the time limit)" : "");
            out.println("outcomes:");
            outcomes.forEach((k, v) -> out.printf("  %-22s %d%n", k.name().toLowerCase().replace('_', ' '), v));
            out.println("faults injected (rounds / upstream connections under the fault):");
            faultRounds.forEach((k, v) -> out.printf("  %-22s %d / %d%n", k.name().toLowerCase().replace('_', ' '), v, faultedConnections.get(k)));
            out.println("resources between rounds (descriptors, threads, heap after GC):");
            out.println("  elapsed    clients  fds  threads  heap MiB");
            for (Sample s : samples) {
                out.printf("  %6ds %9d %4d %8d %9.1f%n", s.elapsed().toSeconds(), s.clients(), s.descriptors(), s.threads(),
                        s.heapAfterGc() / 1048576.0);
            }
            out.printf("lost, mixed, duplicated or hung: %d; resources flat: %s%n", wrong(), flat() ? "yes" : "NO");
        }
    }

    private Soak() {
    }

    /** Runs the soak. */
    public static Report run(Options options, PrintStream progress) throws Exception {
        List<String> names = Poems.names().subList(0, Math.min(options.poems(), Poems.names().size()));
        List<byte[]> poems = new ArrayList<>();
        for (String name : names) {
            poems.add(Poems.named(name).getBytes(StandardCharsets.UTF_8));
        }
        Reactor reactor = options.reactor().equals("netty") ? new NettyReactor() : new NioReactor();
        Thread reactorThread = new Thread(reactor::run, "soak-proxy-reactor");
        reactorThread.start();
        Console quiet = new Console(new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()));
        Random random = new Random(options.seed());
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        Arrays.stream(Outcome.values()).forEach(o -> outcomes.put(o, 0L));
        Map<Fault, Long> faultRounds = new EnumMap<>(Fault.class);
        Map<Fault, Long> faulted = new EnumMap<>(Fault.class);
        Arrays.stream(Fault.values()).forEach(f -> {
            faultRounds.put(f, 0L);
            faulted.put(f, 0L);
        });
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + options.limit().toNanos();
        long served = 0;
        long nextSample = 0;
        boolean stoppedByTime = false;
        try {
            while (served < options.clients()) {
                if (System.nanoTime() > deadline) {
                    stoppedByTime = true;
                    break;
                }
                // Every kind once first (so that a short run meets them all), then as the seed draws them.
                int roundIndex = (int) (served / options.roundSize());
                Fault fault = roundIndex < Fault.values().length ? Fault.values()[roundIndex]
                        : Fault.values()[random.nextInt(Fault.values().length)];
                faultRounds.merge(fault, 1L, Long::sum);
                List<FakeServer> relays = new ArrayList<>();
                List<ListeningPort> proxies = new ArrayList<>();
                // Fresh poetry servers each round too: a fake server keeps a record of every connection.
                List<SlowPoetryServer> servers = new ArrayList<>();
                try {
                    for (String name : names) {
                        servers.add(FakeServers.slowPoetry(Poems.named(name)).numBytes(512).delay(Duration.ofMillis(2)).start());
                    }
                    for (int i = 0; i < servers.size(); i++) {
                        int upstream;
                        if (fault == Fault.REFUSED) {
                            upstream = FakeServers.closedPort();
                        } else {
                            FakeServers.Chaos chaos = FakeServers.chaos(servers.get(i)).seed(random.nextLong());
                            int length = poems.get(i).length;
                            switch (fault) {
                                case SLICING -> chaos.slice(1 + random.nextInt(64), Duration.ZERO);
                                case LATENCY -> chaos.latency(Duration.ofMillis(1 + random.nextInt(5)));
                                case RESET -> chaos.resetAfter(random.nextInt(2 * length));
                                case HALF_CLOSE -> chaos.halfCloseAfter(random.nextInt(2 * length));
                                default -> { }
                            }
                            ChaosServer relay = chaos.start();
                            relays.add(relay);
                            upstream = relay.port();
                        }
                        CompletableFuture<ListeningPort> listening = new CompletableFuture<>();
                        reactor.callFromThread(() -> listening.complete(PoetryProxy.listen(reactor, PoetryProxy.Version.V3,
                                new HostPort("127.0.0.1", upstream), 0, "127.0.0.1", quiet)));
                        proxies.add(listening.get(10, TimeUnit.SECONDS));
                    }
                    long round = Math.min(options.roundSize(), options.clients() - served);
                    for (long sent = 0; sent < round; sent += options.window()) {
                        int window = (int) Math.min(options.window(), round - sent);
                        List<FakeClient> clients = new ArrayList<>(window);
                        List<Integer> which = new ArrayList<>(window);
                        for (int c = 0; c < window; c++) {
                            int i = (int) ((sent + c) % proxies.size());
                            which.add(i);
                            clients.add(FakeClient.to("127.0.0.1", ((IPv4Address) proxies.get(i).getHost()).port())
                                    .timeout(Duration.ofSeconds(30)).start());
                        }
                        for (int c = 0; c < window; c++) {
                            ClientRecord record = clients.get(c).await(Duration.ofSeconds(60));
                            outcomes.merge(classify(record, poems.get(which.get(c)), fault), 1L, Long::sum);
                        }
                        served += window;
                    }
                } finally {
                    for (ListeningPort proxy : proxies) {
                        CompletableFuture<Void> stopped = new CompletableFuture<>();
                        reactor.callFromThread(() -> proxy.stopListening().addBoth((v, f) -> stopped.complete(null)));
                        stopped.get(10, TimeUnit.SECONDS);
                    }
                    for (FakeServer relay : relays) {
                        faulted.merge(fault, (long) relay.record().connectionCount(), Long::sum);
                        relay.close();
                    }
                    servers.forEach(SlowPoetryServer::close);
                }
                if (fault == Fault.REFUSED) {
                    faulted.merge(fault, (long) proxies.size(), Long::sum);
                }
                if (served >= nextSample) { // the first after one round, when classes are loaded and pools started
                    samples.add(sample(start, served, lowest(samples)));
                    nextSample = served + Math.max(options.roundSize(), options.clients() / 20);
                }
                if (progress != null && served % Math.max(options.roundSize(), options.clients() / 10) < options.roundSize()) {
                    progress.printf("soak: %d clients served, %d s%n", served, Duration.ofNanos(System.nanoTime() - start).toSeconds());
                }
            }
            if (samples.isEmpty() || samples.get(samples.size() - 1).clients() != served) {
                samples.add(sample(start, served, lowest(samples)));
            }
        } finally {
            reactor.callFromThread(reactor::stop);
            reactorThread.join(TimeUnit.SECONDS.toMillis(10));
        }
        return new Report(options.reactor(), served, outcomes, faultRounds, faulted, samples, Duration.ofNanos(System.nanoTime() - start), stoppedByTime);
    }

    private static int lowest(List<Sample> samples) {
        return samples.stream().mapToInt(Sample::descriptors).min().orElse(-1);
    }

    static Outcome classify(ClientRecord record, byte[] poem, Fault fault) {
        byte[] got = record.received();
        if (!record.finished() || record.timedOut()) {
            return Outcome.HUNG;
        }
        if (Arrays.equals(got, poem)) {
            return Outcome.POEM;
        }
        if (got.length > poem.length && Arrays.equals(got, 0, poem.length, poem, 0, poem.length)) {
            return Outcome.DUPLICATED;
        }
        boolean prefix = got.length < poem.length && Arrays.equals(got, 0, got.length, poem, 0, got.length);
        if (!prefix) {
            return Outcome.MIXED;
        }
        boolean upstreamCut = fault == Fault.RESET || fault == Fault.HALF_CLOSE;
        if (got.length == 0) {
            return fault == Fault.NONE ? Outcome.LOST : Outcome.CLEAR_FAILURE;
        }
        return upstreamCut ? Outcome.CUT_BY_UPSTREAM_FAULT : Outcome.LOST;
    }

    /**
     * Descriptors, threads and heap after a GC. The last sockets of a round close on other threads
     * (the fake clients' loop, the relays'), so the descriptor count is read again, for up to two
     * seconds, until it is no higher than the lowest seen before.
     */
    private static Sample sample(long start, long served, int lowestDescriptors) throws InterruptedException {
        int descriptors = descriptors();
        for (int i = 0; i < 100 && lowestDescriptors >= 0 && descriptors > lowestDescriptors; i++) {
            Thread.sleep(20);
            descriptors = descriptors();
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Sample(Duration.ofNanos(System.nanoTime() - start), served, descriptors, Thread.activeCount(), heap);
    }

    private static int descriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static void usageError(String message) {
        System.err.println("twine soak: error: " + message + " (see ./twine soak --help)");
        System.exit(2);
    }

    /** {@code ./twine soak [--clients N] [--minutes M] [--seed S] [--reactor nio|netty]}. */
    public static void main(String[] args) throws Exception {
        long clients = 100_000;
        long minutes = 20;
        long seed = 17;
        String reactor = "nio";
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!List.of("--clients", "--minutes", "--seed", "--reactor").contains(option)) {
                usageError("unknown option '" + option + "'");
            }
            if (i + 1 >= args.length) {
                usageError(option + " needs a value");
            }
            try {
                switch (option) {
                    case "--clients" -> clients = Long.parseLong(args[++i]);
                    case "--minutes" -> minutes = Long.parseLong(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    default -> reactor = args[++i];
                }
            } catch (NumberFormatException e) {
                usageError(option + " takes a whole number, got '" + args[i] + "'");
            }
        }
        if (clients <= 0 || minutes <= 0) {
            usageError("--clients and --minutes must be positive");
        }
        if (!REACTORS.contains(reactor)) {
            usageError("--reactor must be one of " + String.join(", ", REACTORS) + ", got '" + reactor + "'");
        }
        Report report = run(new Options(clients, Duration.ofMinutes(minutes), seed, 1000, 100, 4, reactor), System.err);
        report.print(System.out);
        System.exit(report.wrong() == 0 && report.flat() ? 0 : 1);
    }
}
