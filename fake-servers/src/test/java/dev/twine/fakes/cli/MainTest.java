package dev.twine.fakes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServer;
import dev.twine.fakes.Poems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path directory;

    @BeforeEach
    void returnOnceStarted() {
        Main.returnOnceStarted = true;
    }

    @AfterEach
    void closeWhatStarted() throws Exception {
        Main.returnOnceStarted = false;
        if (Main.lastStarted != null) {
            Main.lastStarted.close();
            Main.lastStarted = null;
        }
    }

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void slowPoetryFromTheCommandLineServesTheFile() throws Exception {
        Path poem = Files.writeString(directory.resolve("science.txt"), Poems.named("science"));
        assertThat(run("slow-poetry", "--num-bytes", "200", "--delay", "0.01", poem.toString())).isZero();
        FakeServer server = (FakeServer) Main.lastStarted;
        assertThat(server.record().log().get(0)).isEqualTo("Serving " + poem + " on port " + server.port() + ".");
        ClientRecord client = FakeClient.to(server.host(), server.port()).start().await(Duration.ofSeconds(20));
        assertThat(client.receivedText()).isEqualTo(Poems.named("science"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void everyServerStartsFromTheCommandLine() throws Exception {
        Path poem = Files.writeString(directory.resolve("p.txt"), "a poem");
        assertThat(run("fast-poetry", poem.toString())).isZero();
        int fastPort = ((FakeServer) Main.lastStarted).port();
        assertThat(run("transform", "--port", "0")).isZero();
        Main.lastStarted.close();
        assertThat(run("proxy", String.valueOf(fastPort))).isZero();
        Main.lastStarted.close();
        assertThat(run("chaos", "--target", "127.0.0.1:" + fastPort, "--slice", "1", "--reset-after", "3")).isZero();
        FakeServer chaos = (FakeServer) Main.lastStarted;
        assertThat(FakeClient.to(chaos.host(), chaos.port()).start().await(Duration.ofSeconds(20)).receivedText()).isEqualTo("a p");
        chaos.close();
        assertThat(run("http-poetry", "--delay", "0", poem.toString())).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "nosuch|serve: error: unknown server 'nosuch'",
        "slow-poetry missing.txt|serve slow-poetry: error: No such file: missing.txt",
        "slow-poetry --port abc poem.txt|serve slow-poetry: error: Invalid value for option '--port': 'abc' is not an int",
        "slow-poetry --port 70000 poem.txt|serve slow-poetry: error: the port must be a number from 0 to 65535, got 70000",
        "slow-poetry --delay soon poem.txt|serve slow-poetry: error: --delay must be a number of seconds, got 'soon'",
        "proxy localhost:http|serve proxy: error: Ports must be integers",
        "chaos|serve chaos: error: --target [HOST:]PORT is required",
        "transform extra|serve transform: error: Unmatched argument",
    })
    void userErrorsAreOneLineAndExitTwo(String arguments, String message) {
        assertThat(run(arguments.split(" "))).isEqualTo(2);
        assertThat(err.toString()).startsWith(message).doesNotContain("\tat ").hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"slow-poetry", "fast-poetry", "transform", "proxy", "chaos", "http-poetry", "poems"})
    void everyCommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage: serve " + command);
    }

    @Test
    void poemsListsAndPrints() {
        assertThat(run("poems")).isZero();
        assertThat(out.toString()).contains("science", "alla-sera", "sonnet-18", "ecstasy", "fascination");
        out.getBuffer().setLength(0);
        assertThat(run("poems", "science")).isZero();
        assertThat(out.toString()).isEqualTo(Poems.named("science"));
    }
}
