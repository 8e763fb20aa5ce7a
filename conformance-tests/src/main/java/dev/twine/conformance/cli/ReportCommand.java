package dev.twine.conformance.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.cli.Cli;
import dev.twine.cli.TwineCommand;
import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.ReportMerge;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apiguardian.api.API;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./twine report merge a.json b.json ...}: merges the JSON reports of the shards of one run of
 * the suite into the report of the whole suite (JSON and HTML), prints it, and exits as an unsharded
 * run would: 0 when it conforms, 1 when a rule failed; 2 when the reports cannot be merged (a shard
 * missing or given twice, a rule in two reports or in none, different reactors), with every reason.
 */
@Command(name = "report", mixinStandardHelpOptions = true, subcommands = ReportCommand.Merge.class,
        description = "Works on conformance reports (conformance.json).")
@API(status = INTERNAL, since = "0.1")
public final class ReportCommand implements Callable<Integer>, TwineCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new ReportCommand().commandLine(out, err).execute(args);
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return Cli.of(new ReportCommand(), out, err).commandLine();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code report merge}. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = {"Merges the JSON reports of the shards of one run (./twine conformance --shard I/N) into the",
                "report of the whole suite, with the verdict the unsharded run would give; writes it as JSON and HTML.",
                "Exit status 0 if it conforms, 1 if a rule failed, 2 if the reports are not the shards of one run."})
    static final class Merge implements Callable<Integer> {
        @Parameters(paramLabel = "REPORT.json", arity = "1..*", description = "The shards' conformance.json files.")
        List<Path> reports;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/twine-conformance-merged",
                description = "Where the merged JSON and HTML reports go (default: ${DEFAULT-VALUE}).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter printed = spec.commandLine().getOut();
            ConformanceReport merged;
            try {
                merged = ReportMerge.merge(reports);
            } catch (ReportMerge.MergeException e) {
                PrintWriter err = spec.commandLine().getErr();
                for (String line : e.getMessage().split("\n")) {
                    err.println("report merge: error: " + line);
                }
                return 2;
            }
            List<Path> files;
            try {
                files = merged.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the merged report to " + out + ": " + e.getMessage(), e);
            }
            printed.print(merged.console(files));
            printed.flush();
            return merged.failures().isEmpty() ? 0 : 1;
        }
    }
}
