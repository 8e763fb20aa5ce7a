package dev.twine.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where every fake server starts. Each builder takes the tutorial's options and defaults, binds
 * loopback ({@code 127.0.0.1}) on a port the system chooses unless told otherwise, and returns a
 * running server from {@code start()}:
 *
 * <pre>{@code
 * try (var server = FakeServers.slowPoetry(Poems.named("science")).numBytes(10).delay(Duration.ofMillis(100)).start()) {
 *     // connect to server.port() ...
 *     ServerRecord seen = server.record();
 * }
 * }</pre>
 *
 * The lines the tutorial's servers print are recorded ({@link ServerRecord#log()}); {@code
 * printing()} also prints them on standard output, as the command line does.
 */
public final class FakeServers {
    private FakeServers() {
    }

    /** The tutorial's slow poetry server for {@code poem}. */
    public static SlowPoetry slowPoetry(String poem) {
        return new SlowPoetry(poem, "poem");
    }

    /** The tutorial's slow poetry server for the poem in {@code file} (UTF-8). */
    public static SlowPoetry slowPoetry(Path file) {
        return new SlowPoetry(readPoem(file), file.toString());
    }

    /** The tutorial's fast poetry server for {@code poem}. */
    public static FastPoetry fastPoetry(String poem) {
        return new FastPoetry(poem, "poem");
    }

    /** The tutorial's fast poetry server for the poem in {@code file} (UTF-8). */
    public static FastPoetry fastPoetry(Path file) {
        return new FastPoetry(readPoem(file), file.toString());
    }

    /** The tutorial's transform server. */
    public static Transform transform() {
        return new Transform();
    }

    /** The tutorial's poetry proxy (3.0) in front of {@code host}:{@code port}. */
    public static Proxy proxy(String host, int port) {
        return new Proxy(host, port);
    }

    /** The tutorial's poetry proxy (3.0) in front of {@code upstream}. */
    public static Proxy proxy(FakeServer upstream) {
        return new Proxy(upstream.host(), upstream.port());
    }

    /** A chaos relay to {@code host}:{@code port}. */
    public static Chaos chaos(String host, int port) {
        return new Chaos(host, port);
    }

    /** A chaos relay to {@code target}. */
    public static Chaos chaos(FakeServer target) {
        return new Chaos(target.host(), target.port());
    }

    /** HTTP poetry serving {@code poems} (name to text). */
    public static HttpPoetry httpPoetry(Map<String, String> poems) {
        return new HttpPoetry(poems);
    }

    /** HTTP poetry serving the shipped {@link Poems}. */
    public static HttpPoetry httpPoetry() {
        return new HttpPoetry(Poems.all());
    }

    /**
     * A loopback port nothing listens on, so connecting is refused: the chaos "refuse" fault. (The
     * system chose it a moment ago and it is free now; nothing else on this machine should take it
     * in the meantime, as ports are handed out in turn.)
     */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readPoem(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("No such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** What every builder takes: where to listen and whether to print. */
    public abstract static class Builder<B extends Builder<B, S>, S> {
        String iface = "127.0.0.1";
        int port;
        Consumer<String> printer = line -> { };

        /** The port to listen on (0, the default: one the system chooses). */
        public B port(int port) {
            this.port = port;
            return self();
        }

        /** The address to listen on ({@code 127.0.0.1} unless set). */
        public B iface(String iface) {
            this.iface = Objects.requireNonNull(iface, "iface");
            return self();
        }

        /** Prints the tutorial's lines on standard output too. */
        public B printing() {
            return printingTo(System.out::println);
        }

        /** Gives the tutorial's lines to {@code printer} too. */
        public B printingTo(Consumer<String> printer) {
            this.printer = Objects.requireNonNull(printer, "printer");
            return self();
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Starts the server; it is listening when this returns. */
        public abstract S start();
    }

    /** Options of {@link SlowPoetryServer}. */
    public static final class SlowPoetry extends Builder<SlowPoetry, SlowPoetryServer> {
        private final String poem;
        private final String name;
        private int numBytes = 10;
        private Duration delay = Duration.ofMillis(700);

        private SlowPoetry(String poem, String name) {
            this.poem = Objects.requireNonNull(poem, "poem");
            this.name = name;
        }

        /** Characters per chunk (10, as in the tutorial). */
        public SlowPoetry numBytes(int numBytes) {
            this.numBytes = numBytes;
            return this;
        }

        /** Time between chunks (0.7 s, as in the tutorial). */
        public SlowPoetry delay(Duration delay) {
            this.delay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        @Override
        public SlowPoetryServer start() {
            return new SlowPoetryServer(poem, name, numBytes, delay, iface, port, printer);
        }
    }

    /** Options of {@link FastPoetryServer}. */
    public static final class FastPoetry extends Builder<FastPoetry, FastPoetryServer> {
        private final String poem;
        private final String name;

        private FastPoetry(String poem, String name) {
            this.poem = Objects.requireNonNull(poem, "poem");
            this.name = name;
        }

        @Override
        public FastPoetryServer start() {
            return new FastPoetryServer(poem, name, iface, port, printer);
        }
    }

    /** Options of {@link TransformServer}. */
    public static final class Transform extends Builder<Transform, TransformServer> {
        private Transform() {
        }

        @Override
        public TransformServer start() {
            return new TransformServer(iface, port, printer);
        }
    }

    /** Options of {@link PoetryProxyServer}. */
    public static final class Proxy extends Builder<Proxy, PoetryProxyServer> {
        private final String upstreamHost;
        private final int upstreamPort;

        private Proxy(String upstreamHost, int upstreamPort) {
            this.upstreamHost = Objects.requireNonNull(upstreamHost, "host");
            this.upstreamPort = upstreamPort;
        }

        @Override
        public PoetryProxyServer start() {
            return new PoetryProxyServer(upstreamHost, upstreamPort, iface, port, printer);
        }
    }

    /** The faults of a {@link ChaosServer}; see there for what each does and their order. */
    public static final class Chaos extends Builder<Chaos, ChaosServer> {
        private final String targetHost;
        private final int targetPort;
        private boolean neverAnswer;
        private boolean closeWithoutSending;
        private int garbage;
        private boolean oversizedFrame;
        private int sliceSize;
        private Duration slicePause = Duration.ZERO;
        private Duration latency = Duration.ZERO;
        private long bytesPerSecond;
        private long resetAfter = -1;
        private long halfCloseAfter = -1;
        private long seed = 1;

        private Chaos(String targetHost, int targetPort) {
            this.targetHost = Objects.requireNonNull(targetHost, "host");
            this.targetPort = targetPort;
        }

        /** Accept connections and never answer them. */
        public Chaos neverAnswer() {
            neverAnswer = true;
            return this;
        }

        /** Close connections at once without sending anything. */
        public Chaos closeWithoutSending() {
            closeWithoutSending = true;
            return this;
        }

        /** Send {@code bytes} random bytes (from the seed) before the target's. */
        public Chaos garbage(int bytes) {
            garbage = bytes;
            return this;
        }

        /** Send an oversized netstring length ({@link ChaosServer#OVERSIZED_FRAME}) before the target's bytes. */
        public Chaos oversizedFrame() {
            oversizedFrame = true;
            return this;
        }

        /** Send in writes of at most {@code size} bytes (1 for one byte at a time), {@code pause} apart. */
        public Chaos slice(int size, Duration pause) {
            if (size < 1) {
                throw new IllegalArgumentException("slice size must be at least 1, got " + size);
            }
            sliceSize = size;
            slicePause = pause;
            return this;
        }

        /** Hold each piece back {@code latency}. */
        public Chaos latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /** Pace sending to {@code bytesPerSecond}. */
        public Chaos bandwidth(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
            return this;
        }

        /** Reset the connection after {@code bytes} bytes have been sent. */
        public Chaos resetAfter(long bytes) {
            resetAfter = bytes;
            return this;
        }

        /** Shut the sending side after {@code bytes} bytes have been sent; keep reading. */
        public Chaos halfCloseAfter(long bytes) {
            halfCloseAfter = bytes;
            return this;
        }

        /** The seed of the garbage bytes (1 unless set), so a run can be repeated. */
        public Chaos seed(long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public ChaosServer start() {
            return new ChaosServer(new ChaosServer.Faults(targetHost, targetPort, neverAnswer, closeWithoutSending, garbage,
                    oversizedFrame, sliceSize, slicePause, latency, bytesPerSecond, resetAfter, halfCloseAfter, seed),
                    iface, port, printer);
        }
    }

    /** Options of {@link HttpPoetryServer}. */
    public static final class HttpPoetry extends Builder<HttpPoetry, HttpPoetryServer> {
        private final Map<String, String> poems;
        private Duration delay = Duration.ZERO;
        private int dribbleChunks;
        private Duration dribbleOver = Duration.ZERO;
        private HttpFault fault;

        private HttpPoetry(Map<String, String> poems) {
            this.poems = new LinkedHashMap<>(poems);
        }

        /** Delay every poem response by {@code delay}. */
        public HttpPoetry delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /** Send every poem body in {@code chunks} chunks spread over {@code over} (chunked encoding). */
        public HttpPoetry dribble(int chunks, Duration over) {
            this.dribbleChunks = chunks;
            this.dribbleOver = over;
            return this;
        }

        /** Answer every poem request with {@code fault} instead. */
        public HttpPoetry fault(HttpFault fault) {
            this.fault = fault;
            return this;
        }

        @Override
        public HttpPoetryServer start() {
            return new HttpPoetryServer(poems, delay, dribbleChunks, dribbleOver, fault, iface, port, printer);
        }
    }
}
