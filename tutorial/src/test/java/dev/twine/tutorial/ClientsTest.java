package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.Poems;
import dev.twine.fakes.SlowPoetryServer;
import dev.twine.fakes.TransformServer;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import dev.twine.tutorial.poetry.Cummingsify;
import dev.twine.tutorial.programs.Client1;
import dev.twine.tutorial.programs.Client2;
import dev.twine.tutorial.programs.Client3;
import dev.twine.tutorial.programs.Client4;
import dev.twine.tutorial.programs.Client5;
import dev.twine.tutorial.programs.Client6;
import dev.twine.tutorial.programs.Client7;
import dev.twine.tutorial.programs.TransformProgram;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Each client of the tutorial against the fake servers: the poems exactly, and the lines the original prints. */
@dev.twine.trial.Timeout(20)
class ClientsTest {
    static final List<String> POEMS = List.of(Poems.named("science"), Poems.named("sonnet-18"), Poems.named("alla-sera"));

    private final Captured captured = new Captured();

    /** Three slow servers, one poem each, a few bytes at a time. */
    private static List<HostPort> slowServers(TrialContext test) {
        List<HostPort> addresses = new ArrayList<>();
        for (String poem : POEMS) {
            SlowPoetryServer server = FakeServers.slowPoetry(poem).numBytes(100).delay(Duration.ofMillis(5)).start();
            test.addCleanup(server::close);
            addresses.add(new HostPort("127.0.0.1", server.port()));
        }
        return addresses;
    }

    private static HostPort transformServer(TrialContext test) {
        TransformServer server = FakeServers.transform().start();
        test.addCleanup(server::close);
        return new HostPort("127.0.0.1", server.port());
    }

    private static HostPort nobody() {
        return new HostPort("127.0.0.1", FakeServers.closedPort());
    }

    private static int bytes(String poem) {
        return poem.getBytes(StandardCharsets.UTF_8).length;
    }

    @TrialTest
    Deferred<Void> client10ReadsRawSocketsByHand(Reactor reactor, TrialContext test) {
        List<HostPort> servers = slowServers(test);
        return Client1.main(reactor, servers, captured.console).addVoidCallback(ignored -> {
            String out = captured.out();
            for (int i = 0; i < POEMS.size(); i++) {
                assertThat(out).contains("Task " + (i + 1) + ": got ").contains(" bytes of poetry from " + servers.get(i))
                        .contains("Task " + (i + 1) + " finished")
                        .contains("Task " + (i + 1) + ": " + POEMS.get(i).length() + " characters of poetry");
            }
            assertThat(out).containsPattern("Got 3 poems in 0:00:\\d\\d\\.\\d{6}\n$");
        });
    }

    @TrialTest
    Deferred<Void> client20ReportsEachPieceAndTheTotals(Reactor reactor, TrialContext test) {
        List<HostPort> servers = new ArrayList<>(slowServers(test));
        HostPort nobody = nobody();
        servers.add(nobody);
        return Client2.main(reactor, servers, false, captured.console).addVoidCallback(ignored -> {
            String out = captured.out();
            // How the server's 100-byte pieces coalesce into reads depends on timing (a slow or cold
            // client reads several at once), so only the line's shape is fixed.
            assertThat(out).containsPattern("Task 1: got \\d+ bytes of poetry from IPv4Address\\(type='TCP', host='127.0.0.1', port="
                    + servers.get(0).port() + "\\)");
            assertThat(out).contains("Failed to connect to: IPv4Address(type='TCP', host='127.0.0.1', port=" + nobody.port() + ")");
            // Characters, not bytes (alla-sera is not ASCII), as the original counts its decoded poems.
            for (int i = 0; i < POEMS.size(); i++) {
                String poem = POEMS.get(i);
                assertThat(out).contains("Task " + (i + 1) + ": " + poem.codePointCount(0, poem.length()) + " characters of poetry\n");
            }
            assertThat(bytes(POEMS.get(2))).isNotEqualTo(POEMS.get(2).codePointCount(0, POEMS.get(2).length()));
            // No line for the server that was not there.
            assertThat(out).doesNotContain("Task 4: ").doesNotContain("bytes of poetry\n").containsPattern("Got 4 poems in 0:00:");
        });
    }

    @TrialTest
    Deferred<Void> client21PrintsThePoems(Reactor reactor, TrialContext test) {
        return Client2.main(reactor, slowServers(test), true, captured.console).addVoidCallback(ignored -> {
            assertThat(captured.out()).contains(POEMS.get(0)).contains(POEMS.get(1)).contains(POEMS.get(2));
        });
    }

    @TrialTest
    Deferred<Void> client30PrintsThePoemsOnceAllAreIn(Reactor reactor, TrialContext test) {
        return Client3.main(reactor, slowServers(test), false, captured.console).addVoidCallback(ignored -> {
            assertThat(captured.out()).hasSize(POEMS.stream().mapToInt(p -> p.length() + 1).sum());
        });
    }

    @TrialTest
    Deferred<Void> client31SaysWhichPoemFailed(Reactor reactor, TrialContext test) {
        List<HostPort> servers = new ArrayList<>(slowServers(test).subList(0, 1));
        servers.add(nobody());
        return Client3.main(reactor, servers, true, captured.console).addVoidCallback(ignored -> {
            assertThat(captured.out()).isEqualTo(POEMS.get(0) + "\n");
            assertThat(captured.err()).startsWith("Poem failed: ").contains("ConnectionRefusedException");
        });
    }

    @TrialTest
    Deferred<Void> client40GivesUpOnASlowServerAndLeavesNothingBehind(Reactor reactor, TrialContext test) {
        SlowPoetryServer slow = FakeServers.slowPoetry(POEMS.get(0)).numBytes(5).delay(Duration.ofMillis(200)).start();
        test.addCleanup(slow::close);
        List<HostPort> servers = new ArrayList<>(slowServers(test).subList(1, 2));
        servers.add(new HostPort("127.0.0.1", slow.port()));
        // The janitor checks that the cancelled download left no connection and no delayed call behind.
        return Client4.main(reactor, servers, Duration.ofMillis(300), captured.console).addVoidCallback(ignored -> {
            assertThat(captured.out()).isEqualTo(POEMS.get(1) + "\n");
            assertThat(captured.err()).startsWith("Poem failed: ").contains("DeferredTimeoutException");
        });
    }

    @TrialTest
    Deferred<Void> client50And51SortTheTransformsFailures(Reactor reactor, TrialContext test) {
        List<HostPort> servers = slowServers(test);
        long seed = 42;
        int downloadsFailed = 0;
        Cummingsify oracle = new Cummingsify(seed);
        // Poems finish in no fixed order, so compare what was printed as multisets of outcomes.
        int lowered = 0;
        int kept = 0;
        for (String poem : POEMS) {
            try {
                oracle.apply(poem);
                lowered++;
            } catch (Cummingsify.GibberishException e) {
                downloadsFailed++;
            } catch (IllegalArgumentException e) {
                kept++;
            }
        }
        int gibberish = downloadsFailed;
        int bugs = kept;
        int fine = lowered;
        Captured second = new Captured();
        return Client5.main(reactor, servers, false, seed, captured.console)
                .addDeferredCallback(ignored -> Client5.main(reactor, slowServers(test), true, seed, second.console))
                .addVoidCallback(ignored -> {
                    for (Captured run : List.of(captured, second)) {
                        assertThat(count(run.err(), "The poem download failed.")).isEqualTo(gibberish);
                        assertThat(count(run.out(), "Cummingsify failed!")).isEqualTo(bugs);
                        long lowerCasePoems = POEMS.stream().filter(p -> run.out().contains(p.toLowerCase(Locale.ROOT))
                                && !p.equals(p.toLowerCase(Locale.ROOT))).count();
                        assertThat(lowerCasePoems).isEqualTo(fine);
                    }
                });
    }

    private static int count(String text, String line) {
        return (int) text.lines().filter(line::equals).count();
    }

    @TrialTest
    Deferred<Void> client60HasTheServerTransformAndKeepsThePoemWhenItCannot(Reactor reactor, TrialContext test) {
        List<HostPort> servers = slowServers(test);
        HostPort transform = transformServer(test);
        Captured refused = new Captured();
        return Client6.main(reactor, transform, servers, null, captured.console)
                .addDeferredCallback(ignored -> Client6.main(reactor, nobody(), servers.subList(0, 1), null, refused.console))
                .addVoidCallback(ignored -> {
                    for (String poem : POEMS) {
                        assertThat(captured.out()).contains(poem.toLowerCase(Locale.ROOT));
                    }
                    assertThat(captured.err()).isEmpty();
                    assertThat(refused.out()).isEqualTo(POEMS.get(0) + "\n");
                    assertThat(refused.err()).isEqualTo("Cummingsify failed!\n");
                });
    }

    @TrialTest
    Deferred<Void> client60PrintsTheFailureOfADownloadAfterThePoems(Reactor reactor, TrialContext test) {
        List<HostPort> servers = new ArrayList<>(slowServers(test).subList(0, 1));
        servers.add(nobody());
        return Client6.main(reactor, transformServer(test), servers, null, captured.console).addVoidCallback(ignored -> {
            // The original prints each Failure after the poems: [Failure instance: ... Connection refused ...]
            List<String> lines = captured.out().lines().toList();
            assertThat(captured.out()).startsWith(POEMS.get(0).toLowerCase(Locale.ROOT) + "\n");
            assertThat(lines.get(lines.size() - 1)).startsWith("[Failure instance: dev.twine.protocol.ConnectionRefusedException")
                    .endsWith("]");
            assertThat(captured.err()).isEqualTo("The poem download failed.\n");
        });
    }

    @TrialTest
    Deferred<Void> client70InTheAwaitStyle(Reactor reactor, TrialContext test) {
        List<HostPort> servers = new ArrayList<>(slowServers(test));
        servers.add(nobody());
        return Client7.main(reactor, transformServer(test), servers, null, false, captured.console).addVoidCallback(ignored -> {
            for (String poem : POEMS) {
                assertThat(captured.out()).contains(poem.toLowerCase(Locale.ROOT));
            }
            assertThat(captured.err()).startsWith("The poem download failed: Connection was refused");
            assertThat(captured.err().lines()).hasSize(1);
        });
    }

    @TrialTest
    Deferred<Void> client80EndsThroughADeferredList(Reactor reactor, TrialContext test) {
        List<HostPort> servers = slowServers(test);
        return Client7.main(reactor, transformServer(test), servers, null, true, captured.console).addVoidCallback(ignored -> {
            assertThat(captured.out().lines().filter(l -> !l.isEmpty()).count())
                    .isEqualTo(POEMS.stream().mapToLong(p -> p.lines().filter(l -> !l.isEmpty()).count()).sum());
            for (String poem : POEMS) {
                assertThat(captured.out()).contains(poem.toLowerCase(Locale.ROOT));
            }
        });
    }

    @TrialTest
    Deferred<Void> theTransformClientPrintsWhatTheServerSends(Reactor reactor, TrialContext test) {
        return TransformProgram.main(reactor, transformServer(test), "cummingsify", "A POEM IN CAPITALS", captured.console)
                .addVoidCallback(ignored -> {
                    assertThat(captured.out()).isEqualTo("a poem in capitals\n");
                });
    }

    @TrialTest
    Deferred<Void> theTransformClientSaysWhenTheServerDoesNotAnswer(Reactor reactor, TrialContext test) {
        return dev.twine.trial.Trial.assertFailure(TransformProgram.main(reactor, transformServer(test), "shout", "a poem",
                captured.console), dev.twine.tutorial.poetry.TransformClient.TransformFailedException.class).addVoidCallback(e -> {
                    assertThat(captured.err()).isEqualTo("Cummingsify failed! the transform server closed without an answer\n");
                });
    }
}
