package dev.twine.tutorial.cli;

import dev.twine.cli.TwineCommand;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Registers {@code ./twine tutorial} and its programs with {@code ./twine completion}. */
public final class TutorialCompletion implements TwineCommand {
    @Override
    public String name() {
        return "tutorial";
    }

    @Override
    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return TutorialCommand.commandLine(out, err);
    }
}
