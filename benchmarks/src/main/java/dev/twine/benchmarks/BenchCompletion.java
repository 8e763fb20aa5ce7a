package dev.twine.benchmarks;

import dev.twine.cli.Cli;
import dev.twine.cli.TwineCommand;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Registers {@code ./twine bench} with {@code ./twine completion}. */
public final class BenchCompletion implements TwineCommand {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return Cli.of(new Benchmarks(), out, err).commandLine();
    }
}
