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
    record Result(double bytesPerSecond, double serverCpuSeconds, double seconds) {
        /** Server CPU use over the measurement, as a share of one core. */
        double serverUtilisation() {
            return serverCpuSeconds / seconds;
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
            long received = 0;
            for (Connection c : all) {
                received += c.received - c.baseline;
            }
            return new Result(received / measureSeconds, cpu, measureSeconds);
        } finally {
            for (Connection c : all) {
                c.channel.close();
            }
        }
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
