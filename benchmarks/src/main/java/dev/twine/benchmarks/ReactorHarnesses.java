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

    /**
     * TCP echo: Twine on nio and Twine on Netty (arrays, and lent buffers) vs Netty NIO (one loop) vs blocking
     * thread-per-connection, 1 and 64 connections.
     */
    static void echo(boolean quick) throws IOException {
        ServerProcess.pinSelfToCore1();
        double warmup = quick ? 1 : 3;
        double measure = quick ? 2 : 10;
        int window = 256 * 1024;
        // Twine on nio, then Twine on Netty (arrays, and lent buffers), then the peers.
        String[] impls = {"twine", "twine-buffer", "twine-netty", "twine-netty-buffer", "netty", "blocking"};
        int netty = 4;
        int blocking = 5;
        int[] connectionCounts = {1, 64};
        System.out.printf("TCP echo on loopback, 16 KiB writes, %.0f s per run (after %.0f s warm-up); server on core 0, load on core 1%n",
                measure, warmup);
        System.out.printf("%-6s %-18s %12s %12s %16s%n", "conns", "server", "MB/s echoed", "server CPU", "MB per CPU-second");
        for (int connections : connectionCounts) {
            EchoLoad.Result[] results = new EchoLoad.Result[impls.length];
            for (int i = 0; i < impls.length; i++) {
                try (ServerProcess server = new ServerProcess(impls[i])) {
                    results[i] = EchoLoad.run(server, connections, window, warmup, measure);
                }
                System.out.printf("%-6d %-18s %12.0f %11.0f%% %16.0f%n", connections, impls[i], results[i].bytesPerSecond() / 1e6,
                        results[i].serverUtilisation() * 100, results[i].bytesPerCpuSecond() / 1e6);
            }
            for (int t = 0; t < netty; t++) {
                System.out.printf("       %-18s vs Netty: %.2fx throughput, %.2fx per CPU-second;  vs blocking: %.2fx throughput, %.2fx per CPU-second%n",
                        impls[t], results[t].bytesPerSecond() / results[netty].bytesPerSecond(),
                        results[t].bytesPerCpuSecond() / results[netty].bytesPerCpuSecond(),
                        results[t].bytesPerSecond() / results[blocking].bytesPerSecond(),
                        results[t].bytesPerCpuSecond() / results[blocking].bytesPerCpuSecond());
            }
        }
    }

    /** Heap held per idle connection: Twine vs Netty with {@code count} connections open. */
    static void idle(int count) throws IOException {
        System.out.printf("Heap per idle connection, %,d connections (after GC, server's own view)%n", count);
        System.out.printf("%-8s %14s %14s %16s%n", "server", "heap before", "heap after", "bytes/connection");
        double[] perConnection = new double[2];
        String[] impls = {"twine", "netty"};
        for (int i = 0; i < impls.length; i++) {
            try (ServerProcess server = new ServerProcess(impls[i])) {
                long before = server.heapUsed();
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
                    long after = server.heapUsed();
                    perConnection[i] = (after - before) / (double) count;
                    System.out.printf("%-8s %14s %14s %16.0f%n", impls[i], String.format("%,d", before),
                            String.format("%,d", after), perConnection[i]);
                } finally {
                    for (SocketChannel channel : open) {
                        channel.close();
                    }
                }
            }
        }
        System.out.printf("Twine holds an idle connection in %.2fx the heap Netty does (lower is better)%n",
                perConnection[0] / perConnection[1]);
    }

    /** 1,000,000 delayed calls scheduled, half cancelled: Twine's reactor vs ScheduledThreadPoolExecutor. */
    static void timers(boolean quick) {
        int n = 1_000_000;
        int rounds = quick ? 3 : 10;
        int warmups = quick ? 2 : 5;
        long[][] twine = new long[rounds][];
        long[][] stpe = new long[rounds][];
        for (int r = -warmups; r < rounds; r++) {
            long[] t = twineTimers(n);
            long[] s = executorTimers(n);
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
