package dev.twine.fakes.cli;

import dev.twine.fakes.FakeServers;
import dev.twine.fakes.HttpFault;
import dev.twine.fakes.Poems;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import dev.twine.cli.Cli;
import dev.twine.cli.TwineCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code serve}: the fake servers on the command line ({@code ./twine serve <server> ...}, or {@code
 * java -jar fake-servers-cli.jar <server> ...}). A server prints what listens where, then runs until
 * Ctrl-C or SIGTERM, which close every socket. User errors print one line and exit with status 2;
 * failures to listen exit with status 1. Never a stack trace for a user error.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs one of the fake servers: the Twisted tutorial's poetry, transform and proxy servers, "
                + "a fault-injecting relay, or poems over HTTP.",
        subcommands = {Main.SlowPoetry.class, Main.FastPoetry.class, Main.Transform.class, Main.Proxy.class,
            Main.Chaos.class, Main.HttpPoetry.class, Main.PoemsCommand.class})
public final class Main implements Callable<Integer>, TwineCommand {

    /** Set by tests so that a command returns once its server is up instead of waiting for a signal. */
    static volatile boolean returnOnceStarted;
    /** The server the last command started (for tests). */
    static volatile AutoCloseable lastStarted;

    private final PrintWriter out;

    Main(PrintWriter out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line; returns the exit status. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return setUp(new Main(out), out, err).execute(args);
    }

    /** The shared set-up; a bad value is a usage error, a server that cannot listen a failure (exit 1). */
    private static Cli setUp(Main main, PrintWriter out, PrintWriter err) {
        return Cli.of(main, out, err).usageErrors(IllegalArgumentException.class).failures(UncheckedIOException.class)
                .subcommandNoun("server");
    }

    /** As {@link java.util.ServiceLoader} creates it, for {@code ./twine completion}. */
    public Main() {
        this(new PrintWriter(System.out, true));
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return setUp(new Main(out), out, err).commandLine();
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(out);
        return 0;
    }

    /** Keeps a started server running until Ctrl-C or SIGTERM, then closes it. */
    static int serve(AutoCloseable server) {
        lastStarted = server;
        if (returnOnceStarted) {
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            } finally {
                stopped.countDown();
            }
        }, "fake-server-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be a number from 0 to 65535, got " + port);
        }
        return port;
    }

    /** The longest duration a {@link Duration} of nanoseconds holds, in seconds. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE, 9);

    static Duration seconds(String text, String what) {
        try {
            BigDecimal seconds = new BigDecimal(text.trim());
            if (seconds.signum() < 0) {
                throw new IllegalArgumentException(what + " must not be negative, got " + text);
            }
            // Checked before any arithmetic: scaling 1e99999999 to nanoseconds computes a number of
            // a hundred million digits (the fuzzer found the command hanging on it).
            if (seconds.compareTo(MAX_SECONDS) > 0) {
                throw new IllegalArgumentException(what + " must be at most " + MAX_SECONDS + " seconds, got " + text);
            }
            if (seconds.stripTrailingZeros().scale() > 9) {
                throw new IllegalArgumentException(what + " must be a whole number of nanoseconds, got " + text);
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " must be a number of seconds, got '" + text + "'");
        }
    }

    /** {@code port} (on 127.0.0.1) or {@code host:port}, as the tutorial's programs take it. */
    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            String host = "127.0.0.1";
            String port = text;
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("no host in '" + text + "'; give port or host:port");
            }
            int number;
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Ports must be integers: '" + port + "' in '" + text + "'");
            }
            try {
                return new HostPort(host, checkPort(number));
            } catch (IllegalArgumentException e) {
                // Name what was typed: "-06" reads back as -6, which the user did not write.
                throw new IllegalArgumentException(e.getMessage() + " in '" + text + "'", e);
            }
        }
    }

    /** Options every server has. */
    static class Listening {
        @Option(names = "--port", description = "The port to listen on; 0 (the default) lets the system choose.", defaultValue = "0")
        int port;

        @Option(names = "--iface", description = "The interface to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
        String iface;
    }

    @Command(name = "slow-poetry", mixinStandardHelpOptions = true,
            description = "Serves a poem slowly: NUM-BYTES characters every DELAY seconds, then closes (the tutorial's blocking-server).")
    static final class SlowPoetry implements Callable<Integer> {
        @CommandLine.Mixin
        Listening listening = new Listening();

        @Option(names = "--num-bytes", description = "Characters per chunk (default: ${DEFAULT-VALUE}).", defaultValue = "10")
        int numBytes;

        @Option(names = "--delay", description = "Seconds between chunks (default: ${DEFAULT-VALUE}).", defaultValue = "0.7")
        String delay;

        @Parameters(paramLabel = "FILE", description = "The poem (UTF-8).")
        Path file;

        @Override
        public Integer call() {
            checkPort(listening.port);
            if (numBytes < 1) {
                throw new IllegalArgumentException("--num-bytes must be at least 1, got " + numBytes);
            }
            Duration pause = seconds(delay, "--delay");
            return serve(FakeServers.slowPoetry(file).numBytes(numBytes).delay(pause)
                    .port(checkPort(listening.port)).iface(listening.iface).printing().start());
        }
    }

    @Command(name = "fast-poetry", mixinStandardHelpOptions = true,
            description = "Serves a whole poem at once, then closes (the tutorial's twisted-server-1).")
    static final class FastPoetry implements Callable<Integer> {
        @CommandLine.Mixin
        Listening listening = new Listening();

        @Parameters(paramLabel = "FILE", description = "The poem (UTF-8).")
        Path file;

        @Override
        public Integer call() {
            checkPort(listening.port);
            return serve(FakeServers.fastPoetry(file).port(checkPort(listening.port)).iface(listening.iface).printing().start());
        }
    }

    @Command(name = "transform", mixinStandardHelpOptions = true,
            description = "Answers netstring requests 'cummingsify.<poem>' with the poem in lower case (the tutorial's transform server).")
    static final class Transform implements Callable<Integer> {
        @CommandLine.Mixin
        Listening listening = new Listening();

        @Override
        public Integer call() {
            return serve(FakeServers.transform().port(checkPort(listening.port)).iface(listening.iface).printing().start());
        }
    }

    @Command(name = "proxy", mixinStandardHelpOptions = true,
            description = "Fetches a poem from the upstream poetry server, caches it, and serves it (the tutorial's poetry proxy 3.0).")
    static final class Proxy implements Callable<Integer> {
        @CommandLine.Mixin
        Listening listening = new Listening();

        @Parameters(paramLabel = "[HOST:]PORT", description = "The upstream poetry server.")
        String upstream;

        @Override
        public Integer call() {
            HostPort target = HostPort.parse(upstream);
            return serve(FakeServers.proxy(target.host(), target.port()).port(checkPort(listening.port)).iface(listening.iface)
                    .printing().start());
        }
    }

    @Command(name = "chaos", mixinStandardHelpOptions = true,
            description = "Relays to a target server and misbehaves on purpose.")
    static final class Chaos implements Callable<Integer> {
        @CommandLine.Mixin
        Listening listening = new Listening();

        @Option(names = "--target", paramLabel = "[HOST:]PORT", description = "The server to relay to.")
        String target;

        @Option(names = "--refuse", description = "Listen nowhere: print a port that refuses connections.")
        boolean refuse;

        @Option(names = "--never-answer", description = "Accept connections and never answer them.")
        boolean neverAnswer;

        @Option(names = "--close-without-sending", description = "Close connections at once without sending anything.")
        boolean closeWithoutSending;

        @Option(names = "--garbage", paramLabel = "BYTES", description = "Send this many random bytes before the target's.", defaultValue = "0")
        int garbage;

        @Option(names = "--oversized-frame", description = "Send an oversized netstring length before the target's bytes.")
        boolean oversizedFrame;

        @Option(names = "--slice", paramLabel = "BYTES", description = "Send in writes of at most this many bytes.", defaultValue = "0")
        int slice;

        @Option(names = "--slice-pause", paramLabel = "SECONDS", description = "Seconds between slices.", defaultValue = "0")
        String slicePause;

        @Option(names = "--latency", paramLabel = "SECONDS", description = "Hold each piece back this long.", defaultValue = "0")
        String latency;

        @Option(names = "--bandwidth", paramLabel = "BYTES_PER_SECOND", description = "Pace sending to this rate.", defaultValue = "0")
        long bandwidth;

        @Option(names = "--reset-after", paramLabel = "BYTES", description = "Reset the connection after this many bytes.", defaultValue = "-1")
        long resetAfter;

        @Option(names = "--half-close-after", paramLabel = "BYTES", description = "Shut the sending side after this many bytes.", defaultValue = "-1")
        long halfCloseAfter;

        @Option(names = "--seed", description = "Seed of the garbage bytes (default: ${DEFAULT-VALUE}).", defaultValue = "1")
        long seed;

        @Override
        public Integer call() {
            if (refuse) {
                int port = FakeServers.closedPort();
                System.out.println("Refusing: nothing listens on 127.0.0.1:" + port + ".");
                return 0;
            }
            if (target == null) {
                throw new IllegalArgumentException("--target [HOST:]PORT is required (or --refuse)");
            }
            HostPort to = HostPort.parse(target);
            FakeServers.Chaos chaos = FakeServers.chaos(to.host(), to.port()).port(checkPort(listening.port)).iface(listening.iface)
                    .printing().seed(seed);
            if (neverAnswer) {
                chaos.neverAnswer();
            }
            if (closeWithoutSending) {
                chaos.closeWithoutSending();
            }
            if (garbage > 0) {
                chaos.garbage(garbage);
            }
            if (oversizedFrame) {
                chaos.oversizedFrame();
            }
            if (slice > 0) {
                chaos.slice(slice, seconds(slicePause, "--slice-pause"));
            }
            chaos.latency(seconds(latency, "--latency"));
            if (bandwidth > 0) {
                chaos.bandwidth(bandwidth);
            }
            if (resetAfter >= 0) {
                chaos.resetAfter(resetAfter);
            }
            if (halfCloseAfter >= 0) {
                chaos.halfCloseAfter(halfCloseAfter);
            }
            return serve(chaos.start());
        }
    }

    @Command(name = "http-poetry", mixinStandardHelpOptions = true,
            description = "Serves poems over HTTP at /poems/{name}, with WireMock's delays and faults.")
    static final class HttpPoetry implements Callable<Integer> {
        @CommandLine.Mixin
        Listening listening = new Listening();

        @Option(names = "--delay", paramLabel = "SECONDS", description = "Delay every response.", defaultValue = "0")
        String delay;

        @Option(names = "--dribble-chunks", paramLabel = "N", description = "Send each poem in N chunks ...", defaultValue = "0")
        int dribbleChunks;

        @Option(names = "--dribble-over", paramLabel = "SECONDS", description = "... spread over this long.", defaultValue = "1")
        String dribbleOver;

        @Option(names = "--fault", description = "Answer with a fault instead: ${COMPLETION-CANDIDATES}.")
        HttpFault fault;

        @Parameters(paramLabel = "FILE", arity = "0..*", description = "Poem files, served by name without extension (default: the shipped poems).")
        List<Path> files;

        @Override
        public Integer call() {
            Map<String, String> poems;
            if (files == null || files.isEmpty()) {
                poems = Poems.all();
            } else {
                poems = new LinkedHashMap<>();
                for (Path file : files) {
                    String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                    poems.put(name, readPoem(file));
                }
            }
            FakeServers.HttpPoetry http = FakeServers.httpPoetry(poems).port(checkPort(listening.port)).iface(listening.iface)
                    .printing().delay(seconds(delay, "--delay"));
            if (dribbleChunks > 0) {
                http.dribble(dribbleChunks, seconds(dribbleOver, "--dribble-over"));
            }
            if (fault != null) {
                http.fault(fault);
            }
            return serve(http.start());
        }

        private static String readPoem(Path file) {
            try {
                return java.nio.file.Files.readString(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("No such file: " + file);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "poems", mixinStandardHelpOptions = true,
            description = "Lists the shipped public-domain poems, or prints one (./twine serve poems science > science.txt).")
    static final class PoemsCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The poem to print.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (name == null) {
                Poems.names().forEach(out::println);
            } else {
                out.print(Poems.named(name));
            }
            out.flush();
            return 0;
        }
    }
}
