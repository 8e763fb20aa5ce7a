package dev.twine.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one set-up of Twine's command lines, so that every {@code ./twine} command behaves alike:
 * <ul>
 *   <li>a usage error (an unknown option, a bad value, a {@link UsageException} or another type
 *       named with {@link #usageErrors}) prints one line, {@code <command>: error: <message>}, no
 *       stack trace and no usage text, and the exit status is 2;</li>
 *   <li>a failure named with {@link #failures} (the command could not do its work: a port taken)
 *       prints one line the same way, and the exit status is 1;</li>
 *   <li>an unknown subcommand is named with the ones there are;</li>
 *   <li>{@code --version} of every command and subcommand prints {@link TwineVersion}.</li>
 * </ul>
 * {@code --help} comes from each command's {@code mixinStandardHelpOptions} (or its own help option).
 */
public final class Cli {
    private final CommandLine commandLine;
    private final PrintWriter err;
    private final List<Class<? extends Throwable>> usageErrors = new ArrayList<>(List.of(UsageException.class));
    private final List<Class<? extends Throwable>> failures = new ArrayList<>();
    private String subcommandNoun = "command";

    private Cli(CommandLine commandLine, PrintWriter out, PrintWriter err) {
        this.commandLine = commandLine;
        this.err = err;
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(this::parameterError);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            String name = command.getCommandSpec().qualifiedName();
            if (usageErrors.stream().anyMatch(t -> t.isInstance(exception))) {
                err.println(name + ": error: " + exception.getMessage());
                return 2;
            }
            if (failures.stream().anyMatch(t -> t.isInstance(exception))) {
                err.println(name + ": error: " + exception.getMessage());
                return 1;
            }
            throw exception;
        });
        versions(commandLine.getCommandSpec());
    }

    /** Sets up the command line of {@code command} (an annotated object or a {@link CommandLine}). */
    public static Cli of(Object command, PrintWriter out, PrintWriter err) {
        return new Cli(command instanceof CommandLine given ? given : new CommandLine(command), out, err);
    }

    /** Exceptions thrown by the command that are usage errors (exit status 2), besides {@link UsageException}. */
    @SafeVarargs
    public final Cli usageErrors(Class<? extends Throwable>... types) {
        usageErrors.addAll(List.of(types));
        return this;
    }

    /** Exceptions thrown by the command that are failures reported in one line (exit status 1). */
    @SafeVarargs
    public final Cli failures(Class<? extends Throwable>... types) {
        failures.addAll(List.of(types));
        return this;
    }

    /** What the subcommands are to the user, for the message about an unknown one ({@code server}). */
    public Cli subcommandNoun(String noun) {
        subcommandNoun = noun;
        return this;
    }

    /** The command line, for adding subcommands. */
    public CommandLine commandLine() {
        return commandLine;
    }

    /** Runs the command line; returns the exit status. */
    public int execute(String... args) {
        versions(commandLine.getCommandSpec()); // subcommands added since
        return commandLine.execute(args);
    }

    private int parameterError(CommandLine.ParameterException exception, String[] arguments) {
        CommandLine where = exception.getCommandLine();
        String message = exception.getMessage();
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched && !where.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            message = "unknown " + subcommandNoun + " '" + unmatched.getUnmatched().get(0) + "' ("
                    + String.join(", ", where.getSubcommands().keySet()) + ")";
        }
        err.println(where.getCommandSpec().qualifiedName() + ": error: " + message);
        return 2;
    }

    private static void versions(CommandSpec spec) {
        spec.versionProvider(() -> new String[] {"Twine " + TwineVersion.number()});
        for (CommandLine sub : spec.subcommands().values()) {
            versions(sub.getCommandSpec());
        }
    }
}
