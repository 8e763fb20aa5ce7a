package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.tutorial.cli.TutorialCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TutorialCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TutorialCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsEveryProgram() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("client-1.0", "client-2.0", "client-2.1", "client-3.0", "client-3.1", "client-4.0",
                "client-5.0", "client-5.1", "client-6.0", "client-7.0", "client-8.0", "transform-client", "proxy", "fastpoetry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-1.0", "client-2.0", "client-2.1", "client-3.0", "client-3.1", "client-4.0", "client-5.0",
        "client-5.1", "client-6.0", "client-7.0", "client-8.0", "transform-client", "proxy", "fastpoetry", "slow-poetry", "fast-poetry",
        "transform-server", "client-race"})
    void everyProgramHasHelp(String program) {
        assertThat(run(program, "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: tutorial " + program).contains("-h, --help");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void helpSaysWhereServersAreLookedForAndListened(/* issue 16: a broken parenthesis and "localhost" */) {
        assertThat(run("client-2.0", "--help")).isZero();
        assertThat(out.toString()).contains("Poetry servers: a port (on 127.0.0.1), or host:port.").doesNotContain("localhost");
        for (String server : new String[] {"proxy", "fastpoetry", "slow-poetry", "fast-poetry", "transform-server"}) {
            out.getBuffer().setLength(0);
            assertThat(run(server, "--help")).isZero();
            assertThat(out.toString()).as(server).contains("(default: 127.0.0.1)").doesNotContain("localhost");
        }
    }

    @Test
    void mistakesAreOneLineAndExitTwo() {
        assertThat(run("client-4.0", "not-a-port")).isEqualTo(2);
        assertThat(err.toString()).isEqualToIgnoringNewLines("tutorial client-4.0: error: Ports must be integers.");
        err.getBuffer().setLength(0);
        assertThat(run("client-4.0")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter");
        err.getBuffer().setLength(0);
        assertThat(run("fastpoetry", "--poem", "no-such-poem.txt")).isEqualTo(2);
        assertThat(err.toString()).isEqualToIgnoringNewLines("tutorial fastpoetry: error: No such file: no-such-poem.txt");
        err.getBuffer().setLength(0);
        assertThat(run("proxy", "--version", "4.0", "10000")).isEqualTo(2);
        assertThat(err.toString()).contains("--version must be 1.0, 2.0 or 3.0");
    }

    @Test
    void listShowsEveryProgramByChapter() {
        assertThat(run("--list")).isZero();
        assertThat(out.toString()).containsSubsequence("Part 2: Slow Poetry and the Apocalypse", "  blocking-client",
                "Part 3: ", "  hello", "Part 4: ", "  client-1.0", "Part 7: ", "  defer-1 ", "Part 19: ", "  defer-cancel-12");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("dev.twine.tutorial.ChaptersTest#small")
    void everySmallProgramHasHelpNamingItsOriginal(String program) {
        assertThat(run(program, "--help")).isZero();
        String original = dev.twine.tutorial.chapters.Catalogue.find(program).orElseThrow().original();
        assertThat(out.toString()).startsWith("Usage: tutorial " + program).contains("-h, --help", original, "Part ");
    }

    @Test
    void smallProgramsRefuseWhatTheyDoNotTake() {
        assertThat(run("defer-1", "extra")).isEqualTo(2);
        assertThat(err.toString()).contains("tutorial defer-1: error: Unmatched argument");
        err.getBuffer().setLength(0);
        assertThat(run("blocking-client", "not-a-port")).isEqualTo(2);
        assertThat(err.toString()).isEqualToIgnoringNewLines("tutorial blocking-client: error: Ports must be integers.");
        err.getBuffer().setLength(0);
        assertThat(run("async-client")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter");
        err.getBuffer().setLength(0);
        int status = run("simple-poll", "--reactor", "no-such-reactor");
        assertThat(err.toString()).startsWith("tutorial simple-poll: error: No ReactorProvider is called 'no-such-reactor'");
        assertThat(status).isEqualTo(2);
    }
}
