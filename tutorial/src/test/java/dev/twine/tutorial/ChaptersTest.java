package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twine.fakes.FakeServers;
import dev.twine.fakes.Poems;
import dev.twine.fakes.SlowPoetryServer;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.tutorial.chapters.Catalogue;
import dev.twine.tutorial.chapters.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The small programs of Parts 2, 3, 7, 13, 17, 18 and 19, each run and its output compared with
 * the original's (expected/NAME.out, the original's lines with Java's names). Programs that use
 * the reactor run in virtual time: same lines, same order, no waiting. Nothing here depends on
 * how long anything takes.
 */
@Timeout(60)
class ChaptersTest {
    /** Programs that never stop the reactor (the originals run until Ctrl-C), and the Part 2 clients that need servers. */
    private static final Set<String> NOT_ALONE = Set.of("simple", "simple-poll", "hello", "stack", "blocking-client", "async-client",
            "deferred-simulator", "log");

    /** What must appear on standard error, in this order; every other program prints nothing there. */
    private static final Map<String, List<String>> STDERR = Map.of(
            "defer-4", List.of("Exception in thread", "dev.twine.defer.AlreadyCalledException"),
            "defer-5", List.of("Exception in thread", "dev.twine.defer.AlreadyCalledException"),
            "defer-6", List.of("Exception in thread", "dev.twine.defer.AlreadyCalledException"),
            "defer-7", List.of("Exception in thread", "dev.twine.defer.AlreadyCalledException"),
            "defer-unhandled", List.of("Unhandled error in Deferred:\njava.lang.Exception: oops\n", "\tat "),
            "defer-cancel-1", List.of("Unhandled error in Deferred:\ndev.twine.defer.CancelledException\n", "\tat "),
            "deferred-list-6", List.of("Unhandled error in Deferred:\njava.lang.Exception: d2 failure\n", "\tat "),
            "exception", List.of("java.lang.RuntimeException: I fall down.\n", "\tat "),
            "inline-callbacks-tb", List.of("\tat dev.twine.tutorial.chapters.Part17", "\tat dev.twine.defer.InlineCallbacks"));

    private static final List<String> POEMS = List.of(Poems.named("science"), Poems.named("sonnet-18"), Poems.named("alla-sera"));

    private static final Set<String> EXIT_1 = Set.of("defer-4", "defer-5", "defer-6", "defer-7");

    private final Captured captured = new Captured();
    private final List<AutoCloseable> cleanups = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable cleanup : cleanups) {
            cleanup.close();
        }
    }

    static Stream<String> small() {
        return Catalogue.entries().stream().filter(Catalogue.Entry::isSmall).map(Catalogue.Entry::name);
    }

    static Stream<String> alone() {
        return Catalogue.entries().stream().filter(Catalogue.Entry::isSmall).map(Catalogue.Entry::name)
                .filter(name -> !NOT_ALONE.contains(name));
    }

    private static String expected(String name) {
        try (InputStream in = ChaptersTest.class.getResourceAsStream("/expected/" + name + ".out")) {
            assertThat(in).as("expected/" + name + ".out").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Catalogue.Entry entry(String name) {
        return Catalogue.find(name).orElseThrow();
    }

    private Run run(List<String> args, Reactor reactor) {
        return Run.virtualTime(captured.console, args, () -> reactor);
    }

    private Run run(List<String> args) {
        return Run.virtualTime(captured.console, args, () -> ReactorProvider.selected().createReactor());
    }

    private static String withoutHashes(String text) {
        return text.replaceAll("Deferred@[0-9a-f]+", "Deferred@HASH");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alone")
    void printsWhatTheOriginalPrints(String name) {
        int status = Catalogue.execute(entry(name), run(List.of()));

        assertThat(withoutHashes(captured.out())).isEqualTo(expected(name));
        assertThat(status).isEqualTo(EXIT_1.contains(name) ? 1 : 0);
        List<String> err = STDERR.get(name);
        if (err == null) {
            assertThat(captured.err()).isEmpty();
        } else {
            assertThat(captured.err().replace(System.lineSeparator(), "\n")).containsSubsequence(err);
        }
    }

    @Test
    void theUnhandledFailureIsReportedOnceAndAfterTheLastLine() {
        Catalogue.execute(entry("defer-unhandled"), run(List.of()));

        assertThat(captured.err().split("Unhandled error in Deferred:", -1)).hasSize(2);
        assertThat(captured.err()).contains("Part7.lambda$deferUnhandled");
    }

    // ------------------------------------------------------------------------------------------
    // Part 9: the simulator reads its pairs from standard input

    @Test
    void theSimulatorDrawsBothFiringsAndExplainsBadInput() {
        Run run = run(List.of()).withInput("\nx\nr toolong p\nr a\nr a p extra\nr good f bad\nf googly p\np r why\n\n");

        assertThat(Catalogue.execute(entry("deferred-simulator"), run)).isZero();

        assertThat(captured.out()).isEqualTo(expected("deferred-simulator"));
        assertThat(captured.err()).isEmpty();
    }

    @Test
    void theSimulatorDrawsInOneColumnWhenNarrow() {
        Run run = run(List.of("--narrow")).withInput("r good f bad\nf googly p\np r why\n\n");

        assertThat(Catalogue.execute(entry("deferred-simulator"), run)).isZero();

        assertThat(captured.out()).isEqualTo(expected("deferred-simulator-narrow"));
    }

    @Test
    void theSimulatorStopsSilentlyWhenInputEndsBeforeABlankLine() {
        Run run = run(List.of()).withInput("r good f bad\n");

        assertThat(Catalogue.execute(entry("deferred-simulator"), run)).isZero();

        assertThat(captured.out()).endsWith("You will want to make your terminal as wide as possible.\n\n").doesNotContain("Deferred");
    }

    // ------------------------------------------------------------------------------------------
    // Part 3: log.py, whose lines start with the time

    @Test
    void logWritesTwistedsLinesOnceLoggingHasStarted() {
        assertThat(Catalogue.execute(entry("log"), run(List.of()))).isZero();

        String stamp = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[+-]\\d{4} ";
        List<String> lines = captured.out().lines().toList();
        List<String> logged = lines.stream().filter(line -> !line.startsWith("\t"))
                .map(line -> {
                    assertThat(line).matches(stamp + "\\[-\\] .*");
                    return line.substring(line.indexOf(" [-] ") + 5);
                }).toList();
        assertThat(logged).containsExactly("Log opened.", "This will be logged.", "This will be logged as an error.",
                "The next function call will log the traceback as an error.", "Unhandled Error",
                "The next function call will log the failure as an error.", "Unhandled Error", "End of example.");
        assertThat(captured.out()).doesNotContain("This will not be logged")
                .containsSubsequence("Unhandled Error\n\tjava.lang.NullPointerException", "\tat dev.twine.tutorial.chapters.Part3.badCallback",
                        "Unhandled Error\n\tjava.lang.NullPointerException", "\tat dev.twine.tutorial.chapters.Part3.badCallback");
        assertThat(captured.err()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------
    // Part 3: the programs that run until Ctrl-C, stopped here from outside once they have printed

    private String runUntil(String name, BooleanSupplier printed) throws InterruptedException {
        Reactor reactor = ReactorProvider.selected().createReactor();
        AtomicInteger status = new AtomicInteger(-1);
        Thread main = new Thread(() -> status.set(Catalogue.execute(entry(name), run(List.of(), reactor))), name);
        main.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> reactor.isRunning() && printed.getAsBoolean());
        reactor.callFromThread(reactor::stop);
        main.join(30_000);
        assertThat(main.isAlive()).isFalse();
        assertThat(status).hasValue(0);
        return captured.out();
    }

    @Test
    void simpleRunsAndPrintsNothing() throws InterruptedException {
        assertThat(runUntil("simple", () -> true)).isEmpty();
        assertThat(captured.err()).isEmpty();
    }

    @Test
    void simplePollRunsAndPrintsNothing() throws InterruptedException {
        assertThat(runUntil("simple-poll", () -> true)).isEmpty();
        assertThat(captured.err()).isEmpty();
    }

    @Test
    void helloPrintsFromTheReactorLoop() throws InterruptedException {
        String out = runUntil("hello", () -> captured.out().contains("rut."));
        assertThat(out).isEqualTo("Starting the reactor.\nHello from the reactor loop!\nLately I feel like I'm stuck in a rut.\n");
    }

    @Test
    void stackShowsTheReactorUnderTheCall() throws InterruptedException {
        String out = runUntil("stack", () -> captured.err().contains("Part3.stack"));
        assertThat(out).isEqualTo("The Java stack:\n");
        // Innermost first: the printing call, the program's lambda, the reactor, the program calling run().
        assertThat(captured.err()).containsSubsequence("\tat dev.twine.tutorial.chapters.Part3.lambda$stack", "\tat dev.twine.reactor.",
                "\tat dev.twine.tutorial.chapters.Part3.stack");
    }

    // ------------------------------------------------------------------------------------------
    // Part 2: against three slow servers

    private List<String> slowServers() {
        List<String> ports = new ArrayList<>();
        for (String poem : POEMS) {
            SlowPoetryServer server = FakeServers.slowPoetry(poem).numBytes(400).delay(Duration.ofMillis(5)).start();
            cleanups.add(server::close);
            ports.add(String.valueOf(server.port()));
        }
        return ports;
    }

    private static int characters(String poem) {
        return poem.codePointCount(0, poem.length());
    }

    @Test
    void theBlockingClientGetsOnePoemAfterTheOther() {
        List<String> ports = slowServers();

        assertThat(Catalogue.execute(entry("blocking-client"), run(ports))).isZero();

        List<String> lines = captured.out().lines().toList();
        assertThat(lines).hasSize(7);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(2 * i)).isEqualTo("Task " + (i + 1) + ": get poetry from: 127.0.0.1:" + ports.get(i));
            assertThat(lines.get(2 * i + 1)).matches("Task " + (i + 1) + ": got " + characters(POEMS.get(i))
                    + " bytes of poetry from 127.0.0.1:" + ports.get(i) + " in \\d:\\d\\d:\\d\\d(\\.\\d{6})?");
        }
        assertThat(lines.get(6)).matches("Got 3 poems in \\d:\\d\\d:\\d\\d(\\.\\d{6})?");
        assertThat(captured.err()).isEmpty();
    }

    @Test
    void theSelectClientGetsThemAllAtOnce() {
        List<String> ports = slowServers();

        assertThat(Catalogue.execute(entry("async-client"), run(ports))).isZero();

        String out = captured.out();
        List<String> lines = out.lines().toList();
        for (int i = 0; i < 3; i++) {
            int task = i + 1;
            assertThat(lines).contains("Task " + task + " finished", "Task " + task + ": " + characters(POEMS.get(i))
                    + " bytes of poetry");
            assertThat(lines).anyMatch(line -> line.startsWith("Task " + task + ": got ")
                    && line.endsWith(" bytes of poetry from 127.0.0.1:" + ports.get(task - 1)));
            // Every piece of a poem comes before its task is finished.
            assertThat(lines.lastIndexOf(lines.stream().filter(l -> l.startsWith("Task " + task + ": got ")).reduce((a, b) -> b)
                    .orElseThrow())).isLessThan(lines.indexOf("Task " + task + " finished"));
        }
        int bytesGot = lines.stream().filter(l -> l.matches("Task \\d: got \\d+ bytes of poetry from .*"))
                .mapToInt(l -> Integer.parseInt(l.split(" ")[3])).sum();
        assertThat(bytesGot).isEqualTo(POEMS.stream().mapToInt(p -> p.getBytes(StandardCharsets.UTF_8).length).sum());
        assertThat(lines.subList(lines.size() - 4, lines.size() - 1)).containsExactly(
                "Task 1: " + characters(POEMS.get(0)) + " bytes of poetry",
                "Task 2: " + characters(POEMS.get(1)) + " bytes of poetry",
                "Task 3: " + characters(POEMS.get(2)) + " bytes of poetry");
        assertThat(lines.get(lines.size() - 1)).matches("Got 3 poems in \\d:\\d\\d:\\d\\d(\\.\\d{6})?");
    }

    @Test
    void theClientRaceRunsBothClientsAgainstSlowServersOnTheReactor() throws Exception {
        List<java.nio.file.Path> files = new ArrayList<>();
        for (String poem : POEMS) {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("poem", ".txt");
            java.nio.file.Files.writeString(file, poem);
            cleanups.add(() -> java.nio.file.Files.delete(file));
            files.add(file);
        }

        assertThat(dev.twine.tutorial.chapters.ClientRace.run(captured.console, files, 400, Duration.ofMillis(5))).isZero();

        List<String> lines = captured.out().lines().toList();
        assertThat(lines.get(0)).startsWith("Slow poetry servers (400 characters every 5 ms): ");
        assertThat(lines).filteredOn(line -> line.startsWith("$ ./twine tutorial ")).hasSize(2);
        assertThat(lines).filteredOn(line -> line.matches("Got 3 poems in \\d:\\d\\d:\\d\\d(\\.\\d{6})?")).hasSize(2);
        for (int i = 0; i < 3; i++) {
            assertThat(lines).contains("Task " + (i + 1) + ": " + characters(POEMS.get(i)) + " bytes of poetry");
        }
        assertThat(captured.err()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void theListNamesEveryProgramUnderItsChapter() {
        String listing = Catalogue.listing();
        for (Catalogue.Entry entry : Catalogue.entries()) {
            assertThat(listing).contains("  " + entry.name() + " ");
        }
        assertThat(listing).containsSubsequence("Part 2: ", "blocking-client", "async-client", "Part 3: ", "countdown",
                "Part 7: ", "defer-1 ", "Part 9: ", "deferred-simulator", "Part 13: ", "defer-10", "Part 17: ", "gen-1", "Part 18: ", "deferred-list-1",
                "Part 19: ", "defer-cancel-1 ", "Not on Twine:", "haskell-client-1");
        assertThat(listing).containsSubsequence("Part 2: ", "slow-poetry", "Part 3: ", "  log ", "Part 11: ", "fast-poetry",
                "Part 12: ", "transform-server");
    }
}
