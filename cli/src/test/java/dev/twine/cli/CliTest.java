package dev.twine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Command(name = "demo", mixinStandardHelpOptions = true, subcommands = Demo.Sub.class)
    static final class Demo implements Callable<Integer> {
        @Option(names = "--count")
        int count;

        @Option(names = "--fail")
        String fail;

        @Override
        public Integer call() {
            if ("usage".equals(fail)) {
                throw new UsageException("--count must be even, got " + count);
            }
            if ("io".equals(fail)) {
                throw new UncheckedIOException(new java.io.IOException("port 80 is taken"));
            }
            if ("arg".equals(fail)) {
                throw new IllegalArgumentException("bad host");
            }
            return 0;
        }

        @Command(name = "sub", mixinStandardHelpOptions = true)
        static final class Sub implements Callable<Integer> {
            @Override
            public Integer call() {
                return 0;
            }
        }
    }

    private int run(String... args) {
        return Cli.of(new Demo(), new PrintWriter(out, true), new PrintWriter(err, true))
                .usageErrors(IllegalArgumentException.class).failures(UncheckedIOException.class).execute(args);
    }

    @BeforeEach
    void versionIsFromTheBuild() {
        assertThat(TwineVersion.number()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?").doesNotContain("${");
    }

    @Test
    void aBadOptionIsOneLineAndExitTwo() {
        assertThat(run("--count", "many")).isEqualTo(2);
        assertThat(err.toString()).startsWith("demo: error: Invalid value for option '--count': 'many' is not an int")
                .hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aUsageExceptionOrANamedTypeIsOneLineAndExitTwo() {
        assertThat(run("--count", "3", "--fail", "usage")).isEqualTo(2);
        assertThat(run("--fail", "arg")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("demo: error: --count must be even, got 3\ndemo: error: bad host\n");
    }

    @Test
    void aNamedFailureIsOneLineAndExitOne() {
        assertThat(run("--fail", "io")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("demo: error: java.io.IOException: port 80 is taken\n");
    }

    @Test
    void anUnknownSubcommandIsNamedWithTheOnesThereAre() {
        assertThat(run("nosuch")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("demo: error: unknown command 'nosuch' (sub)\n");
    }

    @Test
    void everyCommandAndSubcommandPrintsTheBuildsVersionAndHelp() {
        assertThat(run("--version")).isZero();
        assertThat(run("sub", "--version")).isZero();
        assertThat(out.toString()).isEqualTo("Twine " + TwineVersion.number() + "\nTwine " + TwineVersion.number() + "\n");
        assertThat(run("sub", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: demo sub");
    }

    @Test
    void theCompletionScriptCompletesTheScriptsOwnCommands() {
        String script = Completion.script();
        assertThat(script).contains("_complete_twine", "mutation", "--rule-limit", "completion",
                "complete -F _complete_twine -o default ./twine");
    }
}
