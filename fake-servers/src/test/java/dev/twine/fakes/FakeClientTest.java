package dev.twine.fakes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeClientTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void slicesArePacedAndArriveIntact() {
        try (SlowPoetryServer server = FakeServers.slowPoetry("x").numBytes(1).delay(Duration.ofSeconds(2)).start()) {
            long start = System.nanoTime();
            ClientRecord client = FakeClient.to(server.host(), server.port())
                    .sendSliced("sliced".getBytes(UTF_8), 1, Duration.ofMillis(20)).reset().start().await(LIMIT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(client.bytesSent()).isEqualTo(6);
            ServerRecord seen = server.await(r -> r.connectionCount() == 1 && r.connection(1).ending() != Ending.OPEN, LIMIT);
            assertThat(seen.connection(1).receivedText()).isEqualTo("sliced");
            assertThat(seen.connection(1).ending()).isEqualTo(Ending.RESET_BY_PEER);
        }
    }

    @Test
    void halfCloseIsSeenByTheServer() {
        try (SlowPoetryServer server = FakeServers.slowPoetry("poem").numBytes(4).delay(Duration.ofMillis(50)).start()) {
            ClientRecord client = FakeClient.to(server.host(), server.port()).send("request").halfClose().start().await(LIMIT);
            assertThat(client.receivedText()).isEqualTo("poem");
            assertThat(server.await(r -> r.connection(1).peerHalfClosed(), LIMIT).connection(1).peerHalfClosed()).isTrue();
        }
    }

    @Test
    void aClientThatNeverReadsLeavesTheServerUnableToSend() {
        String big = "p".repeat(8 * 1024 * 1024);
        try (FastPoetryServer server = FakeServers.fastPoetry(big).start()) {
            ClientRecord client = FakeClient.to(server.host(), server.port()).neverRead().timeout(Duration.ofMillis(300)).start().await(LIMIT);
            assertThat(client.timedOut()).isTrue();
            assertThat(client.bytesReceived()).isZero();
        }
    }

    @Test
    void aRefusedConnectionIsRecorded() {
        ClientRecord client = FakeClient.to("127.0.0.1", FakeServers.closedPort()).send("x").start().await(LIMIT);
        assertThat(client.connectError()).isNotNull();
        assertThat(client.finished()).isTrue();
        assertThat(client.bytesSent()).isZero();
    }
}
