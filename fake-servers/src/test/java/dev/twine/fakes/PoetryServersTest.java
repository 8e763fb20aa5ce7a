package dev.twine.fakes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PoetryServersTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void slowPoetryServesTheExactPoemInPacedChunksThenCloses() {
        String poem = Poems.named("science");
        try (SlowPoetryServer server = FakeServers.slowPoetry(poem).numBytes(100).delay(Duration.ofMillis(50)).start()) {
            ClientRecord client = FakeClient.to(server.host(), server.port()).start().await(LIMIT);
            assertThat(client.receivedText()).isEqualTo(poem);
            assertThat(client.ending()).isEqualTo(Ending.CLOSED_BY_PEER);

            ConnectionRecord seen = server.await(r -> r.connectionCount() == 1 && r.connection(1).ending() != Ending.OPEN, LIMIT)
                    .connection(1);
            assertThat(seen.writes()).hasSize(7);
            for (int i = 0; i < seen.writeTimes().size(); i++) {
                assertThat(seen.writeTimes().get(i)).as("chunk %d is not early", i).isGreaterThanOrEqualTo(Duration.ofMillis(50L * i));
            }
            assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_FAKE);
            assertThat(server.record().log()).first().asString().isEqualTo("Serving poem on port " + server.port() + ".");
            assertThat(server.record().log()).element(1).asString().startsWith("Somebody at ('127.0.0.1', ").endsWith(") wants poetry!");
            assertThat(server.record().log()).contains("Sending 100 bytes");
        }
    }

    @Test
    void slowPoetryCountsCharactersNotBytes() {
        String poem = Poems.named("alla-sera");
        List<byte[]> chunks = SlowPoetryServer.chunk(poem, 10);
        assertThat(chunks).hasSize((poem.codePointCount(0, poem.length()) + 9) / 10);
        assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.length).isGreaterThan(10));
        try (SlowPoetryServer server = FakeServers.slowPoetry(poem).numBytes(10).delay(Duration.ZERO).start()) {
            assertThat(FakeClient.to(server.host(), server.port()).start().await(LIMIT).received()).isEqualTo(poem.getBytes(UTF_8));
        }
    }

    @Test
    void aClientThatLeavesIsNoticedAndSentNothingMore() {
        try (SlowPoetryServer server = FakeServers.slowPoetry(Poems.named("sonnet-18")).numBytes(10).delay(Duration.ofMillis(20)).start()) {
            ClientRecord client = FakeClient.to(server.host(), server.port()).awaitReceived(20).reset().start().await(LIMIT);
            assertThat(client.ending()).isEqualTo(Ending.RESET_BY_FAKE);
            ConnectionRecord seen = server.await(r -> r.connection(1).ending() != Ending.OPEN, LIMIT).connection(1);
            assertThat(seen.ending()).isEqualTo(Ending.RESET_BY_PEER);
            assertThat(seen.bytesOut()).isLessThan(Poems.named("sonnet-18").getBytes(UTF_8).length);
        }
    }

    @Test
    void aThousandSlowClientsAreServedAtOnceOnOneServerThread() {
        String poem = Poems.named("science");
        int clients = 1000;
        Duration delay = Duration.ofMillis(200);
        try (SlowPoetryServer server = FakeServers.slowPoetry(poem).numBytes(100).delay(delay).start()) {
            List<FakeClient> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(FakeClient.to(server.host(), server.port()).timeout(Duration.ofSeconds(60)).start());
            }
            List<ClientRecord> results = new ArrayList<>();
            for (FakeClient client : running) {
                results.add(client.await(Duration.ofSeconds(90)));
            }
            assertThat(results).allSatisfy(r -> {
                assertThat(r.receivedText()).isEqualTo(poem);
                assertThat(r.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
            });
            ServerRecord seen = server.record();
            assertThat(seen.connectionCount()).isEqualTo(clients);
            // Served side by side, not one after another (which would take 1000 x 1.4 s): each client's
            // seven chunks span about 1.2 s; a generous bound tells the two apart without timing the machine.
            assertThat(seen.connections()).allSatisfy(c ->
                    assertThat(c.writeTimes().get(c.writeTimes().size() - 1)).isLessThan(Duration.ofSeconds(20)));
            Set<String> fakeThreads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> n.startsWith("twine-fake-")).collect(Collectors.toSet());
            assertThat(fakeThreads).contains("twine-fake-slow-poetry", "twine-fake-clients");
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("twine-fake-slow-poetry"))).hasSize(1);
        }
    }

    @Test
    void fastPoetrySendsEverythingAtOnceThenCloses() {
        String poem = Poems.named("sonnet-18");
        try (FastPoetryServer server = FakeServers.fastPoetry(poem).start()) {
            ClientRecord client = FakeClient.to(server.host(), server.port()).start().await(LIMIT);
            assertThat(client.receivedText()).isEqualTo(poem);
            ConnectionRecord seen = server.await(r -> r.connectionCount() == 1 && r.connection(1).ending() != Ending.OPEN, LIMIT)
                    .connection(1);
            assertThat(seen.writes()).containsExactly(poem.getBytes(UTF_8).length);
            assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_FAKE);
            assertThat(server.record().log().get(0))
                    .isEqualTo("Serving poem on IPv4Address(type='TCP', host='127.0.0.1', port=" + server.port() + ").");
        }
    }

    @Test
    void serversRecordWhatClientsSend() {
        try (SlowPoetryServer server = FakeServers.slowPoetry("short poem").numBytes(5).delay(Duration.ofMillis(100)).start()) {
            FakeClient.to(server.host(), server.port()).send("ignored input").start().await(LIMIT);
            ServerRecord seen = server.await(r -> r.connectionCount() == 1 && r.connection(1).ending() != Ending.OPEN, LIMIT);
            assertThat(seen.connection(1).receivedText()).isEqualTo("ignored input");
            assertThat(seen.connection(1).bytesIn()).isEqualTo(13);
            assertThat(seen.bytesOut()).isEqualTo(10);
        }
    }

    @Test
    void closedPortsRefuse() {
        ClientRecord client = FakeClient.to("127.0.0.1", FakeServers.closedPort()).start().await(LIMIT);
        assertThat(client.connectError()).containsIgnoringCase("refused");
        assertThat(client.bytesReceived()).isZero();
    }
}
