package dev.twine.conformance.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.conformance.Catalogue;
import dev.twine.conformance.ConformanceRunner;
import dev.twine.conformance.report.ConformanceReport;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.ReactorProviderException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import dev.twine.cli.Cli;
import dev.twine.cli.TwineCommand;
import dev.twine.cli.UsageException;
import picocli.CommandLine;
import org.apiguardian.api.API;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./twine conformance}: runs the suite in this JVM against a reactor provider on the class
 * path, printing a line per rule and the report at the end. Exit status 0 when every rule that ran
 * passed, 1 when one failed, 2 for a usage error (an unknown provider, a bad pattern).
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Checks a reactor against every rule of the conformance suite and prints the per-rule report;",
            "writes it as JSON and HTML too. Rules of optional capabilities the provider does not declare are skipped.",
            "./twine conformance also takes --classpath JARS, to put a reactor of yours on the class path."})
@API(status = INTERNAL, since = "0.1")
public final class ConformanceCommand implements Callable<Integer>, TwineCommand {

    @Option(names = "--provider", paramLabel = "NAME",
            description = "The reactor provider to check: a registered name or a class name (default: nio, the built-in reactor).")
    String provider;

    @Option(names = "--rules", paramLabel = "PATTERN",
            description = "Only the rules whose id matches this pattern: * for any characters (TCP-*, TIME-0?, CORE-01).")
    String rules;

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "target/twine-conformance",
            description = "Where the JSON and HTML reports go (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = "--rule-limit", paramLabel = "SECONDS",
            description = "How long one rule may run its reactor before it fails (default: 10).")
    BigDecimal ruleLimit;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only share I of N of the rules classes (2/4: the second of four), for a suite split across "
                    + "machines; merge the shards' JSON reports with ./twine report merge.")
    String shard;

    @Option(names = "--shard-timings", paramLabel = "FILE",
            description = "Balance the shards by the class times in FILE (written by --record-timings); every shard must get the same file.")
    Path shardTimings;

    @Option(names = "--record-timings", paramLabel = "FILE",
            description = "Write how long each rules class took to FILE, for --shard-timings (the files of all shards concatenated make one).")
    Path recordTimings;

    @Option(names = "--quiet", description = "No line per rule; only the report.")
    boolean quiet;

    @Option(names = "--list", description = "List the rules (id, capability, what a reactor must do) and exit.")
    boolean list;

    private final PrintStream out;
    private final PrintWriter err;

    ConformanceCommand(PrintStream out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** As {@link java.util.ServiceLoader} creates it, for {@code ./twine completion}: prints to the standard streams. */
    public ConformanceCommand() {
        this(System.out, new PrintWriter(System.err, true));
    }

    public static void main(String[] args) {
        System.exit(run(System.out, new PrintWriter(System.err, true), args));
    }

    /** Runs the command line; returns the exit status. */
    public static int run(PrintStream out, PrintWriter err, String... args) {
        return Cli.of(new ConformanceCommand(out, err), new PrintWriter(out, true), err)
                .usageErrors(ReactorProviderException.class).execute(args);
    }

    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return Cli.of(new ConformanceCommand(), out, err).usageErrors(ReactorProviderException.class).commandLine();
    }

    @Override
    public Integer call() {
        Pattern ruleFilter = rulePattern();
        if (list) {
            for (Catalogue.Entry entry : Catalogue.rules()) {
                if (ruleFilter == null || ruleFilter.matcher(entry.id()).matches()) {
                    out.printf(Locale.ROOT, "%-9s %-12s %s%n", entry.id(), entry.capability().name()
                            + (entry.capability().isRequired() ? "" : "*"), entry.says());
                }
            }
            return 0;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<ReactorProvider> registered = ReactorProvider.available(loader);
        boolean builtIn = registered.stream().anyMatch(p -> p.name().equals("nio"));
        String underTest = provider != null ? provider : builtIn ? "nio" : null;
        ReactorProvider.select(underTest, loader); // fails early, with the list, if unknown
        if (ruleLimit != null && ruleLimit.signum() <= 0) {
            throw new UsageException("--rule-limit must be a positive number of seconds, got " + ruleLimit);
        }
        if (shard != null) {
            try {
                dev.twine.trial.engine.config.Shard.parse(shard);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--shard: " + e.getMessage());
            }
        }
        if (shardTimings != null && shard == null) {
            throw new UsageException("--shard-timings needs --shard");
        }
        if (shardTimings != null && !java.nio.file.Files.isReadable(shardTimings)) {
            throw new UsageException("--shard-timings: cannot read " + shardTimings);
        }
        // The rules themselves run on the built-in reactor when it is here, so that a broken reactor
        // under test cannot break the runner.
        ConformanceReport result = ConformanceRunner.run(new ConformanceRunner.Settings(underTest, builtIn ? "nio" : null,
                ruleFilter, ruleLimit == null ? null : Duration.ofNanos(ruleLimit.movePointRight(9).longValue()), reportDir,
                out, !quiet, shard, shardTimings, recordTimings));
        if (result == null) {
            err.println("conformance: error: no rule ran" + (rules == null ? "" : " (none matches '" + rules + "')"));
            return 2;
        }
        return result.failures().isEmpty() ? 0 : 1;
    }

    private Pattern rulePattern() {
        if (rules == null || rules.isBlank()) {
            return null;
        }
        String regex = ("\\Q" + rules.trim().toUpperCase(Locale.ROOT) + "\\E").replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UsageException("--rules is not a pattern: " + e.getDescription());
        }
    }
}
