package dev.twine.tutorial.cli;

import dev.twine.application.Services;
import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.ReactorProviderException;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.chapters.Catalogue;
import dev.twine.tutorial.chapters.ClientRace;
import dev.twine.tutorial.programs.Client1;
import dev.twine.tutorial.programs.Client2;
import dev.twine.tutorial.programs.Client3;
import dev.twine.tutorial.programs.Client4;
import dev.twine.tutorial.programs.Client5;
import dev.twine.tutorial.programs.Client6;
import dev.twine.tutorial.programs.Client7;
import dev.twine.tutorial.programs.FastPoetryService;
import dev.twine.tutorial.programs.PoetryProxy;
import dev.twine.tutorial.programs.TransformProgram;
import dev.twine.tutorial.servers.FastPoetry;
import dev.twine.tutorial.servers.SlowPoetry;
import dev.twine.tutorial.servers.TransformServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import dev.twine.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./twine tutorial <program>}: the Twisted Introduction's programs on Twine. Each runs on a
 * reactor from the selected provider ({@code -Dtwine.reactor.provider}, else the built-in one),
 * prints what the original prints, and exits when it is done (servers run until Ctrl-C). Usage
 * errors print one line and exit 2.
 */
@Command(name = "tutorial",
        description = {"The Twisted Introduction's programs on Twine: the clients before Twisted, the reactor, Deferreds, "
            + "the poetry clients and servers, transform client and server, proxies and service.", "--list shows them by chapter."},
        subcommandsRepeatable = false)
public final class TutorialCommand implements Callable<Integer> {
    // --help on every program (inherited); --version only here, since proxy's --version picks the proxy.
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
            description = "Show this help message and exit.")
    boolean help;

    private static final String SERVERS = "Poetry servers: a port (on 127.0.0.1), or host:port.";
    private static final String TRANSFORM = "The transform server: a port (on 127.0.0.1), or host:port.";
    private static final String TIMEOUT = "Give up on a download after this many seconds (decimals allowed).";
    private static final String IFACE = "Interface to listen on (default: ${DEFAULT-VALUE}).";

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    static volatile Console console = Console.system();

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The command line with every small program as a subcommand, set up as every ./twine command is. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new TutorialCommand());
        for (Catalogue.Entry entry : Catalogue.entries()) {
            if (entry.isSmall()) {
                commandLine.addSubcommand(entry.name(), ProgramCommand.commandLine(entry));
            }
        }
        return Cli.of(commandLine, out, err).usageErrors(IllegalArgumentException.class, ReactorProviderException.class)
                .commandLine();
    }

    @Option(names = "--list", description = "List every program by the tutorial's chapter, with its original's file.")
    boolean list;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            out.print(Catalogue.listing());
        } else {
            spec.commandLine().usage(out);
        }
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------------------------------
    // Clients

    @Command(name = "client-1.0", description = "Raw descriptors: connects each socket, then the reactor calls a "
            + "hand-written reader when bytes arrive (addReader). twisted-client-1/get-poetry.py")
    int client10(@Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client1.main(reactor, addresses, console));
    }

    @Command(name = "client-2.0", description = "A Protocol and a ClientFactory; clientConnectionFailed for a server "
            + "that is not there. twisted-client-2/get-poetry.py")
    int client20(@Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client2.main(reactor, addresses, false, console));
    }

    @Command(name = "client-2.1", description = "As 2.0, printing the poems. twisted-client-2/get-poetry-simple.py")
    int client21(@Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client2.main(reactor, addresses, true, console));
    }

    @Command(name = "client-3.0", description = "A callback gets each poem. No error path: with a server that is not "
            + "there it waits forever, as the original does (Ctrl-C). twisted-client-3/get-poetry.py")
    int client30(@Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client3.main(reactor, addresses, false, console));
    }

    @Command(name = "client-3.1", description = "A callback and an errback. twisted-client-3/get-poetry-1.py")
    int client31(@Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client3.main(reactor, addresses, true, console));
    }

    @Command(name = "client-4.0", description = "The first Deferred: addCallbacks(got_poem, poem_failed), "
            + "addBoth(poem_done). twisted-client-4/get-poetry.py")
    int client40(@Option(names = "--timeout", paramLabel = "SECONDS", description = TIMEOUT)
            BigDecimal timeout, @Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client4.main(reactor, addresses, duration(timeout), console));
    }

    @Command(name = "client-5.0", description = "A local cummingsify that fails at random, handled in the callback. "
            + "twisted-client-5/get-poetry.py")
    int client50(@Option(names = "--seed", defaultValue = "0", description = "Seed of the random failures (0: the clock).")
            long seed, @Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client5.main(reactor, addresses, false, seed(seed), console));
    }

    @Command(name = "client-5.1", description = "As 5.0, the failures sorted in an errback with failure.check. "
            + "twisted-client-5/get-poetry-1.py")
    int client51(@Option(names = "--seed", defaultValue = "0", description = "Seed of the random failures (0: the clock).")
            long seed, @Parameters(paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client5.main(reactor, addresses, true, seed(seed), console));
    }

    @Command(name = "client-6.0", description = "Downloads each poem, then has the transform server cummingsify it. "
            + "twisted-client-6/get-poetry.py")
    int client60(@Option(names = "--timeout", paramLabel = "SECONDS", description = TIMEOUT) BigDecimal timeout,
            @Parameters(index = "0", paramLabel = "TRANSFORM-[HOST:]PORT", description = TRANSFORM) String transform,
            @Parameters(index = "1..*", paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        HostPort transformServer = HostPort.parse(transform);
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client6.main(reactor, transformServer, addresses, duration(timeout), console));
    }

    @Command(name = "client-7.0", description = "6.0 in the await style (inlineCallbacks). twisted-client-7/get-poetry.py")
    int client70(@Option(names = "--timeout", paramLabel = "SECONDS", description = TIMEOUT) BigDecimal timeout,
            @Parameters(index = "0", paramLabel = "TRANSFORM-[HOST:]PORT", description = TRANSFORM) String transform,
            @Parameters(index = "1..*", paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        HostPort transformServer = HostPort.parse(transform);
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client7.main(reactor, transformServer, addresses, duration(timeout), false, console));
    }

    @Command(name = "client-8.0", description = "7.0 ended by a DeferredList that consumes the errors. "
            + "twisted-client-8/get-poetry.py")
    int client80(@Option(names = "--timeout", paramLabel = "SECONDS", description = TIMEOUT) BigDecimal timeout,
            @Parameters(index = "0", paramLabel = "TRANSFORM-[HOST:]PORT", description = TRANSFORM) String transform,
            @Parameters(index = "1..*", paramLabel = "[HOST:]PORT", arity = "1..*", description = SERVERS) List<String> servers) {
        HostPort transformServer = HostPort.parse(transform);
        List<HostPort> addresses = addresses(servers);
        return runUntilDone(reactor -> Client7.main(reactor, transformServer, addresses, duration(timeout), true, console));
    }

    @Command(name = "transform-client", description = "Sends a poem (a file, or - for standard input) to the transform "
            + "server and prints the result.")
    int transformClient(@Option(names = "--transform", defaultValue = "cummingsify", paramLabel = "NAME",
                    description = "The transform to ask for (default: ${DEFAULT-VALUE}).") String transform,
            @Parameters(index = "0", paramLabel = "[HOST:]PORT", description = TRANSFORM) String server,
            @Parameters(index = "1", paramLabel = "POEM-FILE", description = "The poem to send; - reads standard input.")
            String file) {
        HostPort address = HostPort.parse(server);
        String poem = readPoem(file);
        return runUntilDone(reactor -> TransformProgram.main(reactor, address, transform, poem, console));
    }

    // ------------------------------------------------------------------------------------------
    // Servers

    @Command(name = "client-race", description = "Part 2's comparison: starts a slow poetry server per poem on 127.0.0.1, "
            + "then runs blocking-client and async-client against them. The blocking client takes about the sum of the "
            + "downloads, the select one about the longest.")
    int clientRace(@Option(names = "--delay", defaultValue = "0.05", paramLabel = "SECONDS",
                    description = "Seconds between chunks (default: ${DEFAULT-VALUE}).") BigDecimal delay,
            @Option(names = "--num-bytes", defaultValue = "30", paramLabel = "N",
                    description = "Characters per chunk (default: ${DEFAULT-VALUE}).") int numBytes,
            @Parameters(paramLabel = "POEM-FILE", arity = "1..*", description = "The poems, one server each.") List<Path> poems)
            throws IOException, InterruptedException {
        for (Path poem : poems) {
            if (!Files.isRegularFile(poem)) {
                throw new IllegalArgumentException("No such file: " + poem);
            }
        }
        if (delay.signum() < 0) {
            throw new IllegalArgumentException("--delay must not be negative, got " + delay);
        }
        return ClientRace.run(console, poems, numBytes, Duration.ofNanos(delay.movePointRight(9).longValue()));
    }

    @Command(name = "slow-poetry", description = "The slow poetry server on the reactor: the poem a few characters at a "
            + "time, a callLater between chunks, every client at once. Runs until Ctrl-C. blocking-server/slowpoetry.py "
            + "(Part 2's server, written as Part 11 would write it)")
    int slowPoetry(@Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
                    description = "Port to listen on (default: 0, any free port).") int port,
            @Option(names = "--iface", defaultValue = "127.0.0.1", paramLabel = "HOST", description = IFACE) String iface,
            @Option(names = "--delay", defaultValue = "0.7", paramLabel = "SECONDS",
                    description = "Seconds between chunks (default: ${DEFAULT-VALUE}).") BigDecimal delay,
            @Option(names = "--num-bytes", defaultValue = "10", paramLabel = "N",
                    description = "Characters per chunk (default: ${DEFAULT-VALUE}).") int numBytes,
            @Parameters(paramLabel = "POEM-FILE", description = "The poem to serve.") String file) {
        String poem = readPoem(file);
        if (delay.signum() < 0) {
            throw new IllegalArgumentException("--delay must not be negative, got " + delay);
        }
        Duration pause = Duration.ofNanos(delay.movePointRight(9).longValue());
        return runUntilStopped(reactor -> {
            SlowPoetry.listen(reactor, poem, file, numBytes, pause, port, iface, console);
            return new Deferred<>();
        });
    }

    @Command(name = "fast-poetry", description = "The fast poetry server 1.0: a server factory whose protocol writes the "
            + "whole poem and closes. Runs until Ctrl-C. twisted-server-1/fastpoetry.py")
    int fastPoetry(@Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
                    description = "Port to listen on (default: 0, any free port).") int port,
            @Option(names = "--iface", defaultValue = "127.0.0.1", paramLabel = "HOST", description = IFACE) String iface,
            @Parameters(paramLabel = "POEM-FILE", description = "The poem to serve.") String file) {
        String poem = readPoem(file);
        return runUntilStopped(reactor -> {
            FastPoetry.listen(reactor, poem, file, port, iface, console);
            return new Deferred<>();
        });
    }

    @Command(name = "transform-server", description = "The poetry transformation server: a NetstringReceiver; "
            + "cummingsify.<poem> in, the poem in lower case out. Runs until Ctrl-C. twisted-server-1/transformedpoetry.py")
    int transformServer(@Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
                    description = "Port to listen on (default: 0, any free port).") int port,
            @Option(names = "--iface", defaultValue = "127.0.0.1", paramLabel = "HOST", description = IFACE) String iface) {
        return runUntilStopped(reactor -> {
            TransformServer.listen(reactor, port, iface, console);
            return new Deferred<>();
        });
    }

    @Command(name = "proxy", description = "The poetry proxy: serves the upstream poem, fetched once and cached. "
            + "Runs until Ctrl-C.")
    int proxy(@Option(names = "--version", paramLabel = "1.0|2.0|3.0", defaultValue = "3.0",
                    description = "1.0: maybeDeferred; 2.0: always a Deferred, errors logged; 3.0: cancels the download "
                            + "when the client leaves (default).") String version,
            @Option(names = "--port", defaultValue = "0", paramLabel = "PORT", description = "Port to listen on (default: 0, any free port).")
            int port,
            @Option(names = "--iface", defaultValue = "127.0.0.1", paramLabel = "HOST", description = IFACE) String iface,
            @Parameters(paramLabel = "[HOST:]PORT", description = "The upstream poetry server.") String upstream) {
        PoetryProxy.Version which = switch (version) {
            case "1.0" -> PoetryProxy.Version.V1;
            case "2.0" -> PoetryProxy.Version.V2;
            case "3.0" -> PoetryProxy.Version.V3;
            default -> throw new IllegalArgumentException("--version must be 1.0, 2.0 or 3.0, got " + version);
        };
        HostPort address = HostPort.parse(upstream);
        return runUntilStopped(reactor -> {
            PoetryProxy.listen(reactor, which, address, port, iface, console);
            return new Deferred<>();
        });
    }

    @Command(name = "fastpoetry", description = "The fast poetry server as a service (the twistd chapter): the poem is "
            + "loaded when the service starts, connections are logged, and Ctrl-C stops the services in reverse order.")
    int fastpoetry(@Option(names = {"-p", "--port"}, defaultValue = "10000", paramLabel = "PORT",
                    description = "Port to listen on (default: ${DEFAULT-VALUE}).") int port,
            @Option(names = "--iface", defaultValue = "127.0.0.1", paramLabel = "HOST", description = IFACE) String iface,
            @Option(names = "--poem", required = true, paramLabel = "FILE", description = "The poem to serve.") Path poem) {
        if (!Files.isRegularFile(poem)) {
            throw new IllegalArgumentException("No such file: " + poem);
        }
        return runUntilStopped(reactor -> {
            dev.twine.log.Log.startLogging(new java.io.FilterOutputStream(console.out()) {
                @Override
                public void close() throws IOException {
                    flush(); // the log never closes the console
                }
            });
            Services.runWith(reactor, FastPoetryService.create(reactor, poem, port, iface));
            return new Deferred<>();
        });
    }

    // ------------------------------------------------------------------------------------------

    private static List<HostPort> addresses(List<String> servers) {
        return servers.stream().map(HostPort::parse).toList();
    }

    private static Duration duration(BigDecimal seconds) {
        if (seconds == null) {
            return null;
        }
        if (seconds.signum() <= 0) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds, got " + seconds);
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    private static long seed(long seed) {
        return seed != 0 ? seed : System.nanoTime();
    }

    private static String readPoem(String file) {
        try {
            return file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("No such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read " + file + ": " + e.getMessage());
        }
    }

    /** Runs a client: the reactor stops when its Deferred fires; exit 1 if it failed. */
    static int runUntilDone(Function<Reactor, Deferred<Void>> program) {
        Reactor reactor = ReactorProvider.selected().createReactor();
        AtomicInteger status = new AtomicInteger();
        reactor.callWhenRunning(() -> Deferred.maybeDeferred(() -> program.apply(reactor)).addVoidBoth((value, failure) -> {
            if (failure != null) {
                status.set(1);
            }
            if (reactor.isRunning()) {
                reactor.stop();
            }
        }));
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        stopOnCtrlC(reactor, stopped);
        try {
            reactor.run();
        } finally {
            stopped.countDown();
        }
        return status.get();
    }

    /** Runs a server until Ctrl-C (or until its Deferred fires). */
    static int runUntilStopped(Function<Reactor, Deferred<Void>> program) {
        return runUntilDone(program);
    }

    /** On Ctrl-C or SIGTERM, stops the reactor (its shutdown stops the services) and waits for it, up to 10 s. */
    static void stopOnCtrlC(Reactor reactor, java.util.concurrent.CountDownLatch stopped) {
        Thread hook = new Thread(() -> {
            if (reactor.isRunning()) {
                try {
                    reactor.callFromThread(() -> {
                        if (reactor.isRunning()) {
                            reactor.stop();
                        }
                    });
                } catch (RuntimeException alreadyStopped) {
                    return;
                }
                try {
                    stopped.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "twine-tutorial-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
