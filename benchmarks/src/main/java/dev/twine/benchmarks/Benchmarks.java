package dev.twine.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import dev.twine.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * The benchmarks' front door: {@code ./twine bench <suite> [--quick]} (or {@code java -jar
 * benchmarks/target/benchmarks.jar ...}) runs a suite and prints each Twine figure beside its
 * peer's, measured in the same run, with the ratio. {@code jmh <args>} hands the arguments to JMH.
 */
@Command(name = "twine bench", description = "Runs a benchmark suite and prints Twine's figures beside its peers', "
        + "measured in the same run, with the ratio.",
        subcommands = Benchmarks.Jmh.class,
        footer = "%n--quick runs short iterations (a smoke run; figures are rough).")
public final class Benchmarks implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
            description = "Show this help message and exit.")
    boolean help;

    /** A Twine benchmark and the peer benchmark it is compared with. */
    record Pair(String label, String twine, String peer, String peerName) {
    }

    private static final List<Pair> DEFERRED = List.of(
            new Pair("10 callbacks added before firing", "deferred10CallbacksBeforeFiring",
                    "completableFuture10ThenApplyBeforeCompleting", "CompletableFuture"),
            new Pair("10 callbacks added after firing", "deferred10CallbacksAfterFiring",
                    "completableFuture10ThenApplyAfterCompleting", "CompletableFuture"),
            new Pair("10,000-deep nested chain", "deferredNested10000",
                    "completableFutureNested10000", "CompletableFuture"));

    private static final String QUICK = "Short iterations: a smoke run, the figures rough.";

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line; returns the exit status (2 for a usage error). */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.of(new Benchmarks(), out, err).execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    @Command(name = "deferred", description = "Deferred vs CompletableFuture: 10 callbacks before / after firing, "
            + "and a 10,000-deep nested chain (JMH).")
    int deferred(@Option(names = "--quick", description = QUICK) boolean quick) throws RunnerException {
        runSuite(DeferredBenchmark.class, DEFERRED, quick);
        return 0;
    }

    @Command(name = "echo", description = "TCP echo, 1 and 64 connections, 16 KiB writes, per server CPU-second: Twine "
            + "on its nio reactor and on its netty reactor vs Netty NIO (one event loop), Netty held to Twine's array "
            + "contract, and a blocking thread-per-connection server.")
    int echo(@Option(names = "--quick", description = QUICK) boolean quick) throws IOException {
        ReactorHarnesses.echo(quick);
        return 0;
    }

    @Command(name = "latency", description = "Round-trip latency of a 64-byte message at one connection (p50, p99, "
            + "p99.9): Twine on nio and on Netty vs Netty NIO vs blocking.")
    int latency(@Option(names = "--quick", description = QUICK) boolean quick) throws IOException {
        ReactorHarnesses.latency(quick);
        return 0;
    }

    @Command(name = "idle", description = "Heap and direct memory per idle connection with 10,000 connections (2,000 "
            + "with --quick): Twine on nio and on Netty vs Netty.")
    int idle(@Option(names = "--quick", description = QUICK) boolean quick) throws IOException {
        ReactorHarnesses.idle(quick ? 2_000 : 10_000);
        return 0;
    }

    @Command(name = "timers", description = "1,000,000 delayed calls, half cancelled: Twine vs "
            + "ScheduledThreadPoolExecutor.")
    int timers(@Option(names = "--quick", description = QUICK) boolean quick) {
        ReactorHarnesses.timers(quick);
        return 0;
    }

    @Command(name = "trial", description = "Cost of a trivial test: Twine trial (10,000 returning a fired Deferred, "
            + "1,000 fired by callLater(0)) vs 10,000 JUnit Jupiter tests vs Twisted's trial when python3 has it; "
            + "each from its command line in a fresh process.")
    int trial(@Option(names = "--quick", description = QUICK) boolean quick) throws IOException, InterruptedException {
        TrialSpeed.run(quick);
        return 0;
    }

    @Command(name = "all", description = "Every suite, one after the other, in one run: echo, latency, idle, timers, "
            + "deferred, trial (about 20 minutes; with --quick about 5).")
    int all(@Option(names = "--quick", description = QUICK) boolean quick)
            throws IOException, InterruptedException, RunnerException {
        System.out.println("== twine bench all, JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores" + (quick ? ", quick" : ""));
        System.out.println();
        echo(quick);
        System.out.println();
        latency(quick);
        System.out.println();
        idle(quick);
        System.out.println();
        timers(quick);
        System.out.println();
        deferred(quick);
        System.out.println();
        trial(quick);
        return 0;
    }

    @Command(name = "echo-load", description = "Drives any echo server on 127.0.0.1 with the echo suite's load "
            + "(for profiling by hand).")
    int echoLoad(@Parameters(index = "0", paramLabel = "PORT", description = "The echo server's port.") int port,
            @Parameters(index = "1", paramLabel = "CONNECTIONS", description = "Connections to open.") int connections,
            @Parameters(index = "2", paramLabel = "SECONDS", description = "How long to measure.") double seconds)
            throws IOException {
        EchoLoad.Result r = EchoLoad.run(port, () -> Double.NaN, connections, 256 * 1024, 2, seconds);
        System.out.printf("%.0f MB/s echoed%n", r.bytesPerSecond() / 1e6);
        return 0;
    }

    /** JMH's own command line, for anything the suites do not cover. */
    @Command(name = "jmh", description = "Hands every argument after it to JMH itself (jmh -- -h for JMH's help).")
    static final class Jmh implements Callable<Integer> {
        @Unmatched
        List<String> options = new ArrayList<>();

        @Parameters(arity = "0..*", hidden = true)
        List<String> rest = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> all = new ArrayList<>(options);
            all.addAll(rest);
            org.openjdk.jmh.Main.main(all.toArray(String[]::new));
            return 0;
        }
    }

    private static void runSuite(Class<?> benchmarkClass, List<Pair> suite, boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(benchmarkClass.getName() + "\\.");
        if (quick) {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, RunResult> byName = new HashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.') + 1), result);
        }
        System.out.println();
        System.out.println("Twine vs peers, same run, JDK " + Runtime.version() + " (higher is better)");
        System.out.printf("%-36s %16s %16s %8s%n", "benchmark", "Twine ops/s", "peer ops/s", "ratio");
        for (Pair pair : suite) {
            RunResult twine = byName.get(pair.twine());
            RunResult peer = byName.get(pair.peer());
            if (twine == null || peer == null) {
                continue;
            }
            double t = twine.getPrimaryResult().getScore();
            double p = peer.getPrimaryResult().getScore();
            System.out.printf("%-36s %16s %16s %7.2fx   (peer: %s; errors ±%.0f / ±%.0f)%n", pair.label(),
                    String.format("%,.0f", t), String.format("%,.0f", p), t / p, pair.peerName(),
                    twine.getPrimaryResult().getScoreError(), peer.getPrimaryResult().getScoreError());
        }
    }
}
