package dev.twine.tutorial.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.Poems;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.programs.FastPoetryPlugin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ./twine run: plugins by name, the pid file, the log file, the stop order, the default address. */
@Timeout(60)
class RunCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(java.util.function.Consumer<Reactor> whenRunning, String... args) {
        return RunCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, whenRunning, args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The log's messages, without the time: {@code [system] message}. */
    private static List<String> messages(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(line -> !line.startsWith("\t"))
                .peek(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[+-]\\d{4} \\[[^]]+\\] .*"))
                .map(line -> line.substring(line.indexOf(" [") + 1)).toList();
    }

    @Test
    void theCompletionScriptCompletesRunItsPluginsAndTheirOptions() {
        String script = dev.twine.cli.Completion.script();
        assertThat(script).contains("function _picocli_twine_run()", "function _picocli_twine_run_fastpoetry()", "--pidfile",
                "--poem");
    }

    @Test
    void helpListsThePluginsAndSaysItNeverDaemonizes() {
        assertThat(run(r -> { }, "--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("fastpoetry", "A fast poetry service.", "recording", "--logfile", "--pidfile", "--nodaemon",
                "Twine never daemonizes");
        out.reset();
        assertThat(run(r -> { }, "fastpoetry", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--poem", "--port", "--iface", "(default: 127.0.0.1)");
    }

    @Test
    void anUnknownPluginOrAMissingOptionIsAUsageError() {
        assertThat(run(r -> { }, "no-such-plugin")).isEqualTo(2);
        assertThat(err()).startsWith("run: error: Unmatched argument");
        err.reset();
        assertThat(run(r -> { }, "fastpoetry")).isEqualTo(2);
        assertThat(err()).contains("Missing required option").contains("--poem");
        err.reset();
        assertThat(run(r -> { }, "fastpoetry", "--poem", dir.resolve("absent.txt").toString())).isEqualTo(2);
        assertThat(err()).isEqualToIgnoringNewLines("run fastpoetry: error: No such file: " + dir.resolve("absent.txt"));
    }

    @Test
    void refusesToStartWhenThePidFileNamesALiveProcess() throws IOException {
        Path pidfile = dir.resolve("twistd.pid");
        long live = ProcessHandle.current().pid();
        Files.writeString(pidfile, live + "\n");
        AtomicInteger ran = new AtomicInteger();
        Path log = dir.resolve("twistd.log");

        int status = run(reactor -> ran.incrementAndGet(), "--pidfile", pidfile.toString(), "--logfile", log.toString(), "recording");

        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("another server is running, PID " + live);
        assertThat(ran).hasValue(0);
        assertThat(Files.readString(pidfile)).isEqualTo(live + "\n");
        assertThat(log).doesNotExist();
    }

    @Test
    void stopsTheServicesInReverseOrderLogsToTheFileAndRemovesThePidFile() throws IOException {
        Path pidfile = dir.resolve("twistd.pid");
        Path log = dir.resolve("twistd.log");
        List<Boolean> pidfileWhileRunning = new java.util.ArrayList<>();

        int status = run(reactor -> {
            pidfileWhileRunning.add(Files.exists(pidfile));
            reactor.stop();
        }, "--nodaemon", "--pidfile", pidfile.toString(), "--logfile", log.toString(), "recording");

        assertThat(status).isZero();
        assertThat(pidfileWhileRunning).containsExactly(true);
        assertThat(pidfile).doesNotExist();
        List<String> messages = messages(log);
        assertThat(messages.get(0)).isEqualTo("[-] Log opened.");
        assertThat(messages).containsSubsequence("[service-1] started", "[service-2] started", "[service-3] started",
                "[service-3] stopped", "[service-2] stopped", "[service-1] stopped", "[-] Server Shut Down.");
        assertThat(messages.get(messages.size() - 1)).isEqualTo("[-] Server Shut Down.");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing on standard output when there is a log file").isEmpty();
    }

    @Test
    void aStalePidFileIsReplaced() throws IOException, InterruptedException {
        Path pidfile = dir.resolve("twistd.pid");
        Process gone = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
        gone.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        gone.waitFor();
        await().until(() -> !gone.toHandle().isAlive());
        Files.writeString(pidfile, gone.pid() + "\n");
        List<String> pids = new java.util.ArrayList<>();

        int status = run(reactor -> {
            try {
                pids.add(Files.readString(pidfile).trim());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            reactor.stop();
        }, "--pidfile", pidfile.toString(), "--logfile", dir.resolve("log").toString(), "recording");

        assertThat(status).isZero();
        assertThat(pids).containsExactly(Long.toString(ProcessHandle.current().pid()));
        assertThat(err()).contains("removing the stale pid file");
    }

    @Test
    void fastpoetryServesOn127001ByDefaultAndLogsEachConnection() throws Exception {
        assertThat(new FastPoetryPlugin().options().iface()).isEqualTo("127.0.0.1");
        Path poem = dir.resolve("science.txt");
        Files.writeString(poem, Poems.named("science"));
        Path log = dir.resolve("twistd.log");
        CompletableFuture<Reactor> running = new CompletableFuture<>();
        AtomicInteger status = new AtomicInteger(-1);
        Thread main = new Thread(() -> status.set(run(running::complete, "--logfile", log.toString(), "fastpoetry", "--port", "0",
                "--poem", poem.toString())), "twine-run");
        main.start();
        Reactor reactor = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
        Pattern serving = Pattern.compile("\\[fastpoetry\\] serving .* on IPv4Address\\(type='TCP', host='([^']+)', port=(\\d+)\\)");
        await().atMost(Duration.ofSeconds(30)).until(() -> messages(log).stream().anyMatch(m -> serving.matcher(m).matches()));
        Matcher where = messages(log).stream().map(serving::matcher).filter(Matcher::matches).findFirst().orElseThrow();
        assertThat(where.group(1)).isEqualTo("127.0.0.1");

        ClientRecord client = FakeClient.to("127.0.0.1", Integer.parseInt(where.group(2))).start().await(Duration.ofSeconds(30));
        assertThat(client.receivedText()).isEqualTo(Poems.named("science"));
        await().atMost(Duration.ofSeconds(30)).until(() -> messages(log).stream().anyMatch(m -> m.startsWith("[fastpoetry] sending ")));
        reactor.callFromThread(reactor::stop);
        main.join(30_000);

        assertThat(status).hasValue(0);
        List<String> messages = messages(log).stream().map(m -> m.replaceAll("port=\\d+", "port=N")).toList();
        assertThat(messages).containsSubsequence("[-] Log opened.", "[poetry] loaded a poem from " + poem,
                "[fastpoetry] sending 669 bytes of poetry to IPv4Address(type='TCP', host='127.0.0.1', port=N)",
                "[fastpoetry] stopping", "[poetry] stopped", "[-] Server Shut Down.");
    }
}
