package dev.twine.benchmarks;

import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.nio.NioReactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Side-by-side harnesses for the reactor: each prints Twine's figure, its peers' measured in the
 * same run, and the ratios.
 */
final class ReactorHarnesses {
    private ReactorHarnesses() {
    }

    /** The servers of the echo suite, in the order they are run and printed; the peers last. */
    private static final String[] ECHO_SERVERS = {"twine", "twine-buffer", "twine-netty", "twine-netty-buffer", "netty",
        "netty-bytes", "blocking"};
    /** Below this share of its core, a server was not the bottleneck: the load set the pace. */
    private static final double SATURATED = 0.90;

    /**
     * TCP echo: Twine on nio and Twine on Netty (arrays, and lent buffers) vs Netty NIO (one loop, zero copy),
     * Netty held to Twine's array contract, and blocking thread-per-connection; 1 and 64 connections. The
     * primary figure is bytes echoed per second of server CPU: a single load thread on the other core
     * cannot always keep a server busy, and a row whose server stayed under 90 % of its core says so.
     */
    static void echo(boolean quick) throws IOException {
        ServerProcess.pinSelfToCore1();
        double warmup = quick ? 1 : 3;
        double measure = quick ? 2 : 10;
        int window = 256 * 1024;
        String[] impls = ECHO_SERVERS;
        int[] connectionCounts = {1, 64};
        System.out.printf("TCP echo on loopback, 16 KiB writes, %.0f s per run (after %.0f s warm-up); server on core 0, load on core 1%n",
                measure, warmup);
        System.out.printf("%-6s %-19s %16s %12s %11s %10s%n", "conns", "server", "MB per CPU-second", "MB/s echoed",
                "server CPU", "load CPU");
        boolean anyUnsaturated = false;
        boolean loadSaturated = false;
        for (int connections : connectionCounts) {
            EchoLoad.Result[] results = new EchoLoad.Result[impls.length];
            for (int i = 0; i < impls.length; i++) {
                try (ServerProcess server = new ServerProcess(impls[i])) {
                    results[i] = EchoLoad.run(server, connections, window, warmup, measure);
                }
                boolean unsaturated = results[i].serverUtilisation() < SATURATED;
                anyUnsaturated |= unsaturated;
                loadSaturated |= unsaturated && results[i].loadUtilisation() >= SATURATED;
                System.out.printf("%-6d %-19s %16.0f %12.0f %10.0f%%%s %9.0f%%%n", connections, impls[i],
                        results[i].bytesPerCpuSecond() / 1e6, results[i].bytesPerSecond() / 1e6,
                        results[i].serverUtilisation() * 100, unsaturated ? "*" : " ",
                        results[i].loadUtilisation() * 100);
            }
            for (int t = 0; t < 4; t++) {
                System.out.printf("       %-19s per server CPU-second: %.2fx Netty, %.2fx Netty held to arrays, %.2fx blocking"
                        + " (throughput %.2fx Netty)%n", impls[t], ratio(results, t, "netty"),
                        ratio(results, t, "netty-bytes"), ratio(results, t, "blocking"),
                        results[t].bytesPerSecond() / results[index("netty")].bytesPerSecond());
            }
        }
        if (anyUnsaturated) {
            System.out.println("* the server stayed under 90 % of its core: it was not the bottleneck, so compare those "
                    + "rows per server CPU-second, not by MB/s. " + (loadSaturated
                    ? "The load thread used its whole core in some of them: it set the pace there."
                    : "The load did not use its whole core either: the two waited on each other."));
        }
    }

    private static int index(String impl) {
        return Arrays.asList(ECHO_SERVERS).indexOf(impl);
    }

    private static double ratio(EchoLoad.Result[] results, int twine, String peer) {
        return results[twine].bytesPerCpuSecond() / results[index(peer)].bytesPerCpuSecond();
    }

    /**
     * Round-trip latency at one connection: a 64-byte message sent, its echo awaited, again, for
     * {@code seconds} after a warm-up; p50, p99 and p99.9 per server, the client a blocking socket on core 1.
     */
    static void latency(boolean quick) throws IOException {
        ServerProcess.pinSelfToCore1();
        double warmup = quick ? 1 : 3;
        double measure = quick ? 2 : 10;
        String[] impls = {"twine", "twine-buffer", "twine-netty", "netty", "netty-bytes", "blocking"};
        System.out.printf("Round trip of a 64-byte message at one connection, %.0f s per server (after %.0f s warm-up); "
                + "server on core 0, client on core 1%n", measure, warmup);
        System.out.printf("%-19s %12s %10s %10s %10s %10s%n", "server", "round trips", "p50 µs", "p99 µs", "p99.9 µs",
                "max µs");
        double[][] figures = new double[impls.length][];
        for (int i = 0; i < impls.length; i++) {
            try (ServerProcess server = new ServerProcess(impls[i])) {
                figures[i] = EchoLoad.roundTrips(server.port, 64, warmup, measure);
            }
            System.out.printf("%-19s %12s %10.1f %10.1f %10.1f %10.1f%n", impls[i], String.format("%,.0f", figures[i][0]),
                    figures[i][1], figures[i][2], figures[i][3], figures[i][4]);
        }
        int netty = 3;
        for (int t = 0; t < 3; t++) {
            System.out.printf("       %-19s vs Netty: p50 %.2fx, p99 %.2fx, p99.9 %.2fx (lower is better)%n", impls[t],
                    figures[t][1] / figures[netty][1], figures[t][2] / figures[netty][2], figures[t][3] / figures[netty][3]);
        }
    }

    /**
     * Memory held per idle connection with {@code count} connections open, heap and direct (native)
     * memory, each after a garbage collection in the server's own view: Twine on nio and on Netty vs Netty.
     */
    static void idle(int count) throws IOException {
        System.out.printf("Memory per idle connection, %,d connections (after GC, server's own view; direct = "
                + "native memory in direct buffers)%n", count);
        System.out.printf("%-12s %16s %16s %12s %12s %12s%n", "server", "heap before", "heap after", "heap/conn",
                "direct/conn", "total/conn");
        String[] impls = {"twine", "twine-netty", "netty"};
        double[] perConnection = new double[impls.length];
        for (int i = 0; i < impls.length; i++) {
            try (ServerProcess server = new ServerProcess(impls[i])) {
                ServerProcess.Memory before = server.memoryUsed();
                List<SocketChannel> open = new ArrayList<>(count);
                try {
                    for (int c = 0; c < count; c++) {
                        open.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port)));
                    }
                    // Each connection is accepted and set up before the server measures (one echo each).
                    for (SocketChannel channel : open) {
                        channel.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                    }
                    java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
                    for (SocketChannel channel : open) {
                        one.clear();
                        while (one.hasRemaining()) {
                            if (channel.read(one) < 0) {
                                throw new IOException("closed");
                            }
                        }
                    }
                    ServerProcess.Memory after = server.memoryUsed();
                    double heap = (after.heap() - before.heap()) / (double) count;
                    double direct = (after.direct() - before.direct()) / (double) count;
                    perConnection[i] = heap + direct;
                    System.out.printf("%-12s %16s %16s %12.0f %12.0f %12.0f%n", impls[i], String.format("%,d", before.heap()),
                            String.format("%,d", after.heap()), heap, direct, perConnection[i]);
                } finally {
                    for (SocketChannel channel : open) {
                        channel.close();
                    }
                }
            }
        }
        System.out.printf("Twine (nio) holds an idle connection in %.2fx the memory Netty does, Twine on Netty in %.2fx "
                + "(heap and direct; lower is better)%n", perConnection[0] / perConnection[2], perConnection[1] / perConnection[2]);
    }

    /** 1,000,000 delayed calls scheduled, half cancelled: Twine's reactor vs ScheduledThreadPoolExecutor. */
    static void timers(boolean quick) {
        int n = 1_000_000;
        int rounds = quick ? 3 : 10;
        int warmups = quick ? 2 : 5;
        long[][] twine = new long[rounds][];
        long[][] stpe = new long[rounds][];
        for (int r = -warmups; r < rounds; r++) {
            // Each starts on a collected heap, and they take turns going first: the garbage of the
            // one before (a million calls) is not collected on the other's time.
            long[] t;
            long[] s;
            if (r % 2 == 0) {
                t = collectedThen(() -> twineTimers(n));
                s = collectedThen(() -> executorTimers(n));
            } else {
                s = collectedThen(() -> executorTimers(n));
                t = collectedThen(() -> twineTimers(n));
            }
            if (r >= 0) {
                twine[r] = t;
                stpe[r] = s;
            }
        }
        double twineSchedule = median(twine, 0);
        double twineCancel = median(twine, 1);
        double stpeSchedule = median(stpe, 0);
        double stpeCancel = median(stpe, 1);
        System.out.printf("%,d delayed calls, half cancelled; median of %d rounds (lower is better)%n", n, rounds);
        System.out.printf("%-28s %12s %12s%n", "", "schedule ms", "cancel ms");
        System.out.printf("%-28s %12.1f %12.1f%n", "Twine NioReactor.callLater", twineSchedule, twineCancel);
        System.out.printf("%-28s %12.1f %12.1f%n", "ScheduledThreadPoolExecutor", stpeSchedule, stpeCancel);
        System.out.printf("Twine is %.2fx as fast to schedule and %.2fx as fast to cancel%n",
                stpeSchedule / twineSchedule, stpeCancel / twineCancel);
    }

    private static long[] collectedThen(java.util.function.Supplier<long[]> timed) {
        System.gc();
        return timed.get();
    }

    private static long[] twineTimers(int n) {
        NioReactor reactor = new NioReactor();
        Runnable nothing = () -> { };
        DelayedCall[] calls = new DelayedCall[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            calls[i] = reactor.callLater(Duration.ofMillis(3_600_000L + i % 10_000), nothing);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i += 2) {
            calls[i].cancel();
        }
        long t2 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1};
    }

    private static long[] executorTimers(int n) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true); // like Twine: cancelled calls leave the queue
        Runnable nothing = () -> { };
        ScheduledFuture<?>[] calls = new ScheduledFuture<?>[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            calls[i] = executor.schedule(nothing, 3_600_000L + i % 10_000, TimeUnit.MILLISECONDS);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i += 2) {
            calls[i].cancel(false);
        }
        long t2 = System.nanoTime();
        executor.shutdownNow();
        return new long[] {t1 - t0, t2 - t1};
    }

    private static double median(long[][] rounds, int column) {
        double[] values = Arrays.stream(rounds).mapToDouble(r -> r[column] / 1e6).sorted().toArray();
        return values[values.length / 2];
    }
}
