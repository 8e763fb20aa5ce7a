package dev.twine.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * A command of {@code ./twine}, registered as a {@link java.util.ServiceLoader} service so that
 * {@link Completion} finds every command on the class path and completes its options.
 */
public interface TwineCommand {
    /** The command's name after {@code ./twine}: {@code conformance}. */
    String name();

    /** The command line, set up by {@link Cli}, writing to {@code out} and {@code err}. */
    CommandLine commandLine(PrintWriter out, PrintWriter err);
}
