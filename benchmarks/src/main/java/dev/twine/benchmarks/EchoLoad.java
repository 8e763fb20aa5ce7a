package dev.twine.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The load every echo server gets, from one NIO thread: each connection writes 16 KiB chunks
 * while less than {@code window} bytes are in flight and counts the bytes echoed back.
 */
final class EchoLoad {
    static final int CHUNK = 16 * 1024;

    private EchoLoad() {
    }

    /** What one run measured. */
    record Result(double bytesPerSecond, double serverCpuSeconds, double loadCpuSeconds, double seconds) {
        /** Server CPU use over the measurement, as a share of one core. */
        double serverUtilisation() {
            return serverCpuSeconds / seconds;
        }

        /** The load thread's CPU use over the measurement, as a share of one core. */
        double loadUtilisation() {
            return loadCpuSeconds / seconds;
        }

        /** Bytes echoed per second of server CPU. */
        double bytesPerCpuSecond() {
            return bytesPerSecond * seconds / serverCpuSeconds;
        }
    }

    /** Echoed bytes per second over {@code measureSeconds}, after {@code warmupSeconds}. */
    static Result run(ServerProcess server, int connections, int window, double warmupSeconds, double measureSeconds)
            throws IOException {
        return run(server.port, server::cpuSeconds, connections, window, warmupSeconds, measureSeconds);
    }

    /** As above against any server on {@code port}; {@code serverCpu} reads its CPU seconds (or NaN). */
    static Result run(int port, java.util.function.DoubleSupplier serverCpu, int connections, int window,
            double warmupSeconds, double measureSeconds) throws IOException {
        double cpuAtStart = Double.NaN;
        long loadCpuAtStart = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            chunk.put((byte) ('a' + i % 26));
        }
        chunk.flip();
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        List<Connection> all = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                Connection c = new Connection(channel, chunk.duplicate());
                c.key = channel.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, c);
                all.add(c);
            }
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupSeconds * 1e9);
            long end = measureFrom + (long) (measureSeconds * 1e9);
            boolean measuring = false;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (!measuring && now >= measureFrom) {
                    measuring = true;
                    cpuAtStart = serverCpu.getAsDouble();
                    loadCpuAtStart = threads.getCurrentThreadCpuTime();
                    for (Connection c : all) {
                        c.baseline = c.received;
                    }
                }
                selector.select(key -> {
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isReadable()) {
                            readBuffer.clear();
                            int n = c.channel.read(readBuffer);
                            if (n < 0) {
                                throw new IOException("the server closed a connection");
                            }
                            c.received += n;
                        }
                        if (key.isValid() && key.isWritable()) {
                            while (c.sent - c.received < window) {
                                if (!c.out.hasRemaining()) {
                                    c.out.rewind();
                                }
                                int n = c.channel.write(c.out);
                                if (n == 0) {
                                    break;
                                }
                                c.sent += n;
                            }
                        }
                        int wanted = c.sent - c.received < window ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
                        if (key.interestOps() != wanted) {
                            key.interestOps(wanted);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, 100);
            }
            double cpu = serverCpu.getAsDouble() - cpuAtStart;
            double loadCpu = (threads.getCurrentThreadCpuTime() - loadCpuAtStart) / 1e9;
            long received = 0;
            for (Connection c : all) {
                received += c.received - c.baseline;
            }
            return new Result(received / measureSeconds, cpu, loadCpu, measureSeconds);
        } finally {
            for (Connection c : all) {
                c.channel.close();
            }
        }
    }

    /**
     * Round trips of a {@code size}-byte message at one connection, each sent when the previous echo
     * has arrived in full: for {@code warmupSeconds}, then measured for {@code measureSeconds}. Returns
     * {round trips measured, p50, p99, p99.9, max} with the times in microseconds.
     */
    static double[] roundTrips(int port, int size, double warmupSeconds, double measureSeconds) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        ByteBuffer in = ByteBuffer.allocateDirect(size);
        long[] samples = new long[1 << 16];
        int count = 0;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupSeconds * 1e9);
            long end = measureFrom + (long) (measureSeconds * 1e9);
            long now = start;
            while (now < end) {
                long sent = System.nanoTime();
                out.clear();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (channel.read(in) < 0) {
                        throw new IOException("the server closed the connection");
                    }
                }
                now = System.nanoTime();
                if (sent >= measureFrom) {
                    if (count == samples.length) {
                        samples = java.util.Arrays.copyOf(samples, count * 2);
                    }
                    samples[count++] = now - sent;
                }
            }
        }
        if (count == 0) {
            throw new IOException("no round trip completed in the measured window");
        }
        long[] sorted = java.util.Arrays.copyOf(samples, count);
        java.util.Arrays.sort(sorted);
        return new double[] {count, percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
            sorted[count - 1] / 1e3};
    }

    /** The value below which {@code share} of the sorted samples lie (nearest rank), in microseconds. */
    static double percentile(long[] sorted, double share) {
        int rank = (int) Math.ceil(share * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e3;
    }

    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer out;
        SelectionKey key;
        long sent;
        long received;
        long baseline;

        Connection(SocketChannel channel, ByteBuffer out) {
            this.channel = channel;
            this.out = out;
        }
    }
}
