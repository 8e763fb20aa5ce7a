package dev.twine.tutorial.chapters;

import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTime;
import dev.twine.tutorial.Console;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * What a small program runs with: where it prints, its arguments, the reactor (made when first
 * asked for, as Twisted's is installed on first import), and time.
 *
 * <p>On the command line time is the reactor's and {@link #sleep} really sleeps. In tests time is
 * virtual ({@link #virtualTime}): delayed calls scheduled through {@link #clock()} run in the
 * order of their deadlines, each as soon as the reactor gets to it, and {@code sleep} returns at
 * once; the programs print the same lines, in the same order, without waiting seconds.
 */
public final class Run {
    private final Console console;
    private final List<String> args;
    private final Supplier<Reactor> reactors;
    private final boolean virtual;
    private Reactor reactor;
    private ReactorTime clock;
    private BufferedReader input;

    private Run(Console console, List<String> args, Supplier<Reactor> reactors, boolean virtual) {
        this.console = Objects.requireNonNull(console, "console");
        this.args = List.copyOf(args);
        this.reactors = Objects.requireNonNull(reactors, "reactors");
        this.virtual = virtual;
    }

    /** A run in real time: the reactor from {@code reactors}, real delays, real sleeps. */
    public static Run realTime(Console console, List<String> args, Supplier<Reactor> reactors) {
        return new Run(console, args, reactors, false);
    }

    /** A run in virtual time (see the class comment), on the reactor {@code reactors} gives. */
    public static Run virtualTime(Console console, List<String> args, Supplier<Reactor> reactors) {
        return new Run(console, args, reactors, true);
    }

    /** Where the program prints. */
    public Console console() {
        return console;
    }

    /** Where the program reads standard input from: the process's own unless {@link #withInput} changed it. */
    public BufferedReader input() {
        if (input == null) {
            input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return input;
    }

    /** Gives the program {@code text} as its standard input. */
    public Run withInput(String text) {
        input = new BufferedReader(new StringReader(text));
        return this;
    }

    /** The program's command-line arguments. */
    public List<String> args() {
        return args;
    }

    /** The reactor; made on the first call. */
    public Reactor reactor() {
        if (reactor == null) {
            reactor = Objects.requireNonNull(reactors.get(), "reactor");
        }
        return reactor;
    }

    /** Whether the program has asked for the reactor. */
    public boolean hasReactor() {
        return reactor != null;
    }

    /** Where the program schedules delayed calls: the reactor, or virtual time driven by it. */
    public ReactorTime clock() {
        if (clock == null) {
            clock = virtual ? new VirtualTime(reactor()) : reactor();
        }
        return clock;
    }

    /** Blocks the calling thread for {@code duration} ({@code time.sleep}); instant in virtual time. */
    public void sleep(Duration duration) throws InterruptedException {
        if (!virtual) {
            Thread.sleep(duration.toMillis());
        }
    }

    /** Prints its arguments separated by spaces and a newline, as Python's {@code print(a, b, ...)}. */
    public void print(Object... parts) {
        StringJoiner line = new StringJoiner(" ");
        for (Object part : parts) {
            line.add(String.valueOf(part));
        }
        console.println(line.toString());
    }

    /** Writes {@code text} on standard output with no newline, and flushes ({@code sys.stdout.write}). */
    public void write(String text) {
        console.out().print(text);
        console.out().flush();
    }

    /** Prints a line on standard error ({@code print(..., file=sys.stderr)}). */
    public void printErr(String line) {
        console.errln(line);
    }

    /** Seconds as a Duration ({@code callLater(5, ...)} is {@code callLater(seconds(5), ...)}). */
    public static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
