package dev.twine.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line only: a suite's --help must print its usage, never start the suite. */
class BenchmarksCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Benchmarks.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deferred", "echo", "latency", "idle", "timers", "trial", "all", "echo-load"})
    void everySuiteHasHelp(String suite) {
        assertThat(run(suite, "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: twine bench " + suite).contains("-h, --help");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void helpListsTheSuites() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("deferred", "echo", "latency", "idle", "timers", "trial", "all", "jmh");
    }

    @Test
    void mistakesAreOneLineAndExitTwo() {
        assertThat(run("nosuch")).isEqualTo(2);
        assertThat(err.toString()).startsWith("twine bench: error: unknown command 'nosuch' (jmh, ").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("echo", "--quik")).isEqualTo(2);
        assertThat(err.toString()).isEqualToIgnoringNewLines("twine bench echo: error: Unknown option: '--quik'");
        err.getBuffer().setLength(0);
        assertThat(run("echo-load", "http")).isEqualTo(2);
        assertThat(err.toString()).startsWith("twine bench echo-load: error: Invalid value for positional parameter at index 0 (PORT)");
    }
}
