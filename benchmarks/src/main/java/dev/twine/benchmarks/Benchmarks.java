package dev.twine.benchmarks;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks' front door: {@code java -jar benchmarks/target/benchmarks.jar <suite> [--quick]}
 * runs a suite and prints each Twine figure beside its peer's, measured in the same run, with the
 * ratio. {@code jmh <args>} hands the arguments to JMH itself.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** A Twine benchmark and the peer benchmark it is compared with. */
    record Pair(String label, String twine, String peer, String peerName) {
    }

    private static final Map<String, List<Pair>> SUITES = Map.of(
            "deferred", List.of(
                    new Pair("10 callbacks added before firing", "deferred10CallbacksBeforeFiring",
                            "completableFuture10ThenApplyBeforeCompleting", "CompletableFuture"),
                    new Pair("10 callbacks added after firing", "deferred10CallbacksAfterFiring",
                            "completableFuture10ThenApplyAfterCompleting", "CompletableFuture"),
                    new Pair("10,000-deep nested chain", "deferredNested10000",
                            "completableFutureNested10000", "CompletableFuture")));

    private static final Map<String, Class<?>> SUITE_CLASSES = Map.of("deferred", DeferredBenchmark.class);

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage();
            return;
        }
        if (args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quickRun = Arrays.asList(args).contains("--quick");
        switch (args[0]) {
            case "echo" -> {
                ReactorHarnesses.echo(quickRun);
                return;
            }
            case "idle" -> {
                ReactorHarnesses.idle(quickRun ? 2_000 : 10_000);
                return;
            }
            case "timers" -> {
                ReactorHarnesses.timers(quickRun);
                return;
            }
            case "trial" -> {
                TrialSpeed.run(quickRun);
                return;
            }
            case "echo-load" -> {
                if (args.length < 4) {
                    System.err.println("Usage: echo-load PORT CONNECTIONS SECONDS   (drives any echo server on 127.0.0.1:PORT)");
                    System.exit(2);
                }
                EchoLoad.Result r = EchoLoad.run(Integer.parseInt(args[1]), () -> Double.NaN, Integer.parseInt(args[2]),
                        256 * 1024, 2, Double.parseDouble(args[3]));
                System.out.printf("%.0f MB/s echoed%n", r.bytesPerSecond() / 1e6);
                return;
            }
            default -> {
                // a JMH suite below
            }
        }
        List<Pair> suite = SUITES.get(args[0]);
        if (suite == null) {
            System.err.println("benchmarks: unknown suite '" + args[0] + "'. Suites: deferred, echo, idle, timers, trial");
            System.exit(2);
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        runSuite(SUITE_CLASSES.get(args[0]), suite, quick);
    }

    private static void usage() {
        System.out.println("""
                Usage: java -jar benchmarks/target/benchmarks.jar <suite> [--quick]
                       java -jar benchmarks/target/benchmarks.jar jmh [JMH options]

                Suites:
                  deferred   Deferred vs CompletableFuture: 10 callbacks before / after firing,
                             and a 10,000-deep nested chain (JMH).
                  echo       TCP echo, 1 and 64 connections, 16 KiB writes: Twine vs Netty NIO
                             (one event loop) vs a blocking thread-per-connection server.
                  idle       Heap per idle connection with 10,000 connections: Twine vs Netty.
                  timers     1,000,000 delayed calls, half cancelled: Twine vs
                             ScheduledThreadPoolExecutor.
                  trial      Cost of a trivial test: Twine trial (10,000 returning a fired
                             Deferred, 1,000 fired by callLater(0)) vs 10,000 JUnit Jupiter tests
                             vs Twisted's trial when python3 has it; each from its command line.
                  echo-load PORT CONNECTIONS SECONDS
                             Drive any echo server by hand with the echo suite's load (for profiling).

                --quick runs 1 fork with short iterations (a smoke run; figures are rough).""");
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
