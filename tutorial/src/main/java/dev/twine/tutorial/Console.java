package dev.twine.tutorial;

import java.io.PrintStream;
import java.util.Objects;

/** Where a program prints: its standard output and its standard error (tests give it buffers). */
public record Console(PrintStream out, PrintStream err) {
    /** Checks both are there. */
    public Console {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The process's own. */
    public static Console system() {
        return new Console(System.out, System.err);
    }

    /** Prints a line on standard output. */
    public void println(String line) {
        out.println(line);
        out.flush();
    }

    /** Prints a line on standard error. */
    public void errln(String line) {
        err.println(line);
        err.flush();
    }
}
