package dev.twine.tutorial.cli;

import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.chapters.Catalogue;
import dev.twine.tutorial.chapters.Run;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command of one of the catalogue's small programs ({@code ./twine tutorial defer-1}): built
 * from its {@link Catalogue.Entry}, so that a program is added in one place.
 */
final class ProgramCommand implements Callable<Integer> {
    private final Catalogue.Entry entry;
    private CommandSpec spec;

    private ProgramCommand(Catalogue.Entry entry) {
        this.entry = entry;
    }

    /** The command line of {@code entry}'s program. */
    static CommandLine commandLine(Catalogue.Entry entry) {
        ProgramCommand command = new ProgramCommand(entry);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(entry.name());
        spec.usageMessage().description(entry.summary(), "Chapter: " + entry.part() + ".", "Original: " + entry.original());
        switch (entry.arguments()) {
            case SERVERS -> spec.addPositional(PositionalParamSpec.builder().paramLabel("[HOST:]PORT").arity("1..*").required(true)
                    .type(List.class).auxiliaryTypes(String.class)
                    .description("Poetry servers: a port (on 127.0.0.1), or host:port.").build());
            case REACTOR -> spec.addOption(OptionSpec.builder("--reactor").paramLabel("NAME").type(String.class)
                    .description("The reactor provider, by name or class (default: the selected one, -Dtwine.reactor.provider, "
                            + "else the built-in nio).").build());
            case NARROW -> spec.addOption(OptionSpec.builder("--narrow").type(boolean.class)
                    .description("Draw all three chains in one column.").build());
            case NONE -> {
                // no arguments
            }
        }
        command.spec = spec;
        return new CommandLine(spec);
    }

    @Override
    public Integer call() {
        List<String> args = List.of();
        Supplier<Reactor> reactors = () -> ReactorProvider.selected().createReactor();
        if (entry.arguments() == Catalogue.Arguments.SERVERS) {
            args = spec.positionalParameters().get(0).getValue();
            args.forEach(HostPort::parse); // a bad address is a usage error (exit 2), before anything runs
        } else if (entry.arguments() == Catalogue.Arguments.NARROW) {
            args = Boolean.TRUE.equals(spec.findOption("--narrow").getValue()) ? List.of("--narrow") : List.of();
        } else if (entry.arguments() == Catalogue.Arguments.REACTOR) {
            String name = spec.findOption("--reactor").getValue();
            if (name != null) {
                ReactorProvider provider = ReactorProvider.select(name, Thread.currentThread().getContextClassLoader());
                reactors = provider::createReactor;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Supplier<Reactor> made = reactors;
        Run run = Run.realTime(TutorialCommand.console, args, () -> {
            Reactor reactor = made.get();
            TutorialCommand.stopOnCtrlC(reactor, stopped);
            return reactor;
        });
        try {
            return Catalogue.execute(entry, run);
        } finally {
            stopped.countDown();
        }
    }
}
