package dev.twine.tutorial.cli;

import dev.twine.application.Service;
import dev.twine.application.ServiceMaker;
import dev.twine.application.Services;
import dev.twine.log.FileLogObserver;
import dev.twine.log.Log;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.ReactorProviderException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code ./twine run <plugin> [options]}: Twine's {@code twistd}. Finds {@link ServiceMaker}
 * plugins with {@link ServiceLoader}, makes the named one's service from its options, and runs it
 * with a reactor in the foreground until Ctrl-C or SIGTERM, which stop the services in reverse
 * order (each waited for) before the reactor shuts down. The log (Twisted's lines) goes to
 * standard output or {@code --logfile}; {@code --pidfile} holds the process id while it runs.
 * Usage errors print one line and exit 2; a pid file naming a live process exits 1.
 */
@Command(name = "run", sortOptions = false,
        description = {"Runs a service plugin (a ServiceMaker found by ServiceLoader) with a reactor, in the foreground, "
            + "as twistd runs one. Ctrl-C or SIGTERM stops its services in reverse order, then the reactor.",
            "", "Plugins:%n%s"},
        footer = {"", "Twine never daemonizes: it runs in the foreground, as twistd --nodaemon does; --nodaemon is accepted "
            + "and changes nothing. Use your service manager (systemd, a container) to run it in the background.",
            "Example: ./twine run --logfile twistd.log --pidfile twistd.pid fastpoetry --port 10000 --poem science.txt"})
public final class RunCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-l", "--logfile"}, paramLabel = "FILE",
            description = "Append the log to this file (default: standard output).")
    Path logfile;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "Write the process id to this file while running, and "
            + "remove it at stop. Refuses to start if the file names a live process (default: no pid file).")
    Path pidfile;

    @Option(names = {"-n", "--nodaemon"}, description = "Run in the foreground: the default, and the only mode.")
    boolean nodaemon;

    private RunCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, true, reactor -> { }, args));
    }

    /** The plugins on the class path, by name. */
    static List<ServiceMaker<?>> plugins() {
        List<ServiceMaker<?>> plugins = new ArrayList<>();
        for (ServiceMaker<?> maker : ServiceLoader.load(ServiceMaker.class, RunCommand.class.getClassLoader())) {
            plugins.add(maker);
        }
        plugins.sort(Comparator.comparing(ServiceMaker::name));
        return plugins;
    }

    /**
     * Runs the command line; returns the exit status.
     *
     * @param signals whether Ctrl-C and SIGTERM stop the service (a JVM shutdown hook); tests stop
     *     the reactor themselves
     * @param whenRunning called on the reactor thread once the reactor runs, after the service's
     *     start was called
     */
    static int run(PrintStream out, PrintStream err, boolean signals, Consumer<Reactor> whenRunning, String... args) {
        List<ServiceMaker<?>> plugins = plugins();
        RunCommand command = new RunCommand();
        CommandLine commandLine = commandLine(command, plugins);
        commandLine.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": error: " + e.getMessage());
            return 2;
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return 0;
        }
        if (!parsed.hasSubcommand()) {
            err.println("run: error: name a plugin (./twine run --help lists them)");
            return 2;
        }
        ParseResult sub = parsed.subcommand();
        ServiceMaker<?> maker = plugins.stream().filter(p -> p.name().equals(sub.commandSpec().name())).findFirst().orElseThrow();
        return command.start(maker, sub.commandSpec().userObject(), out, err, signals, whenRunning);
    }

    /** The command line with a subcommand per plugin, each with that plugin's own options. */
    static CommandLine commandLine(RunCommand command, List<ServiceMaker<?>> plugins) {
        CommandLine commandLine = new CommandLine(command);
        StringBuilder list = new StringBuilder();
        for (ServiceMaker<?> maker : plugins) {
            CommandLine sub = new CommandLine(maker.options());
            CommandSpec spec = sub.getCommandSpec();
            spec.name(maker.name());
            spec.usageMessage().description(maker.description());
            if (spec.findOption("--help") == null) {
                spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
            }
            commandLine.addSubcommand(maker.name(), sub);
            list.append(String.format("  %-14s %s%n", maker.name(), maker.description()));
        }
        commandLine.getCommandSpec().usageMessage().description(String.format(String.join("%n",
                commandLine.getCommandSpec().usageMessage().description()), list.length() == 0 ? "  (none found)\n" : list));
        return commandLine;
    }

    /** Registers {@code ./twine run} and its plugins with {@code ./twine completion}. */
    public static final class Completion implements dev.twine.cli.TwineCommand {
        @Override
        public String name() {
            return "run";
        }

        @Override
        public CommandLine commandLine(java.io.PrintWriter out, java.io.PrintWriter err) {
            CommandLine commandLine = RunCommand.commandLine(new RunCommand(), plugins());
            commandLine.setOut(out);
            commandLine.setErr(err);
            return commandLine;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Service make(ServiceMaker maker, Reactor reactor, Object options) {
        return maker.makeService(reactor, options);
    }

    private int start(ServiceMaker<?> maker, Object options, PrintStream out, PrintStream err, boolean signals,
            Consumer<Reactor> whenRunning) {
        String prefix = "run " + maker.name() + ": error: ";
        try {
            if (pidfile != null && refusedByPidfile(err)) {
                return 1;
            }
        } catch (IOException e) {
            err.println(prefix + "cannot use the pid file " + pidfile + ": " + e.getMessage());
            return 1;
        }
        long pid = ProcessHandle.current().pid();
        FileLogObserver log = null;
        // Counted down once everything is cleaned up: a signal's shutdown hook waits for it, so the
        // JVM does not halt before the pid file is removed and the log closed.
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            try {
                log = logfile != null ? Log.startLogging(logfile) : Log.startLogging(new NonClosing(out));
            } catch (UncheckedIOException e) {
                err.println(prefix + e.getMessage());
                return 1;
            }
            Reactor reactor;
            Service service;
            try {
                reactor = ReactorProvider.selected().createReactor();
                service = make(maker, reactor, options);
            } catch (IllegalArgumentException | ReactorProviderException e) {
                err.println(prefix + e.getMessage());
                return 2;
            }
            if (pidfile != null) {
                Files.writeString(pidfile, pid + "\n", StandardCharsets.US_ASCII);
            }
            Log.msg("twine run " + maker.name() + " (Java " + Runtime.version() + ") starting up.");
            Log.msg("reactor class: " + reactor.getClass().getName() + ".");
            Log.msg("process id: " + pid + "; in the foreground (twine never daemonizes).");
            Services.runWith(reactor, service);
            reactor.callWhenRunning(() -> whenRunning.accept(reactor));
            Thread hook = signals ? stopOnSignal(reactor, stopped) : null;
            reactor.run();
            Log.msg("Server Shut Down.");
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what stopped us: it is running, and waits for this method's end
                }
            }
            return 0;
        } catch (IOException e) {
            err.println(prefix + e.getMessage());
            return 1;
        } finally {
            removePidfile(pid);
            if (log != null) {
                Log.removeObserver(log);
                log.close();
            }
            stopped.countDown();
        }
    }

    /** Whether the pid file names a live process; a stale one is left to be overwritten. */
    private boolean refusedByPidfile(PrintStream err) throws IOException {
        String text;
        try {
            text = Files.readString(pidfile, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return false;
        }
        long other;
        try {
            other = Long.parseLong(text);
        } catch (NumberFormatException e) {
            err.println("run: error: the pid file " + pidfile + " does not hold a process id (" + text
                    + "); remove it if no server is running");
            return true;
        }
        if (ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false)) {
            err.println("run: error: another server is running, PID " + other + " (its pid file is " + pidfile
                    + "); stop it, or remove the file if that process is not one");
            return true;
        }
        err.println("run: removing the stale pid file " + pidfile + " (process " + other + " is not running)");
        return false;
    }

    /** Removes the pid file if it still holds this process's id. */
    private void removePidfile(long pid) {
        if (pidfile == null) {
            return;
        }
        try {
            if (Files.readString(pidfile, StandardCharsets.US_ASCII).trim().equals(Long.toString(pid))) {
                Files.delete(pidfile);
            }
        } catch (IOException e) {
            // already gone, or not ours to remove
        }
    }

    /** On Ctrl-C or SIGTERM, stops the reactor (which stops the services first) and waits for it, up to 30 s. */
    private static Thread stopOnSignal(Reactor reactor, CountDownLatch stopped) {
        Thread hook = new Thread(() -> {
            try {
                reactor.callFromThread(() -> {
                    if (reactor.isRunning()) {
                        Log.msg("Received a signal to stop, shutting down.");
                        reactor.stop();
                    }
                });
            } catch (RuntimeException alreadyStopped) {
                return;
            }
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "twine-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Standard output for the log: closing the log must not close it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(PrintStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
