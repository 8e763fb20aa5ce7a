package dev.twine.fakes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProxyAndChaosTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final String POEM = Poems.named("science");

    @Test
    void theProxyFetchesOnceThenServesFromItsCache() {
        try (FastPoetryServer upstream = FakeServers.fastPoetry(POEM).start();
                PoetryProxyServer proxy = FakeServers.proxy(upstream).start()) {
            assertThat(FakeClient.to(proxy.host(), proxy.port()).start().await(LIMIT).receivedText()).isEqualTo(POEM);
            assertThat(FakeClient.to(proxy.host(), proxy.port()).start().await(LIMIT).receivedText()).isEqualTo(POEM);
            assertThat(proxy.record().log()).containsSubsequence("Fetching poem from server.", "Using cached poem.");
            assertThat(upstream.record().connectionCount()).isEqualTo(1);
            assertThat(new String(proxy.cachedPoem(), UTF_8)).isEqualTo(POEM);
            assertThat(proxy.record().log().get(0)).isEqualTo("Proxying ('127.0.0.1', " + upstream.port()
                    + ") on IPv4Address(type='TCP', host='127.0.0.1', port=" + proxy.port() + ").");
        }
    }

    @Test
    void aRefusingUpstreamClosesTheClientCleanlyAndIsRecorded() {
        try (PoetryProxyServer proxy = FakeServers.proxy("127.0.0.1", FakeServers.closedPort()).start()) {
            ClientRecord client = FakeClient.to(proxy.host(), proxy.port()).start().await(LIMIT);
            assertThat(client.bytesReceived()).isZero();
            assertThat(client.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
            assertThat(proxy.await(r -> !r.faults().isEmpty(), LIMIT).faults()).extracting(Fault::kind)
                    .containsExactly(FaultKind.UPSTREAM_REFUSED);
            assertThat(proxy.cachedPoem()).isNull();
        }
    }

    @Test
    void aClientThatLeavesEarlyCancelsTheDownloadAndNothingIsCached() {
        try (SlowPoetryServer upstream = FakeServers.slowPoetry(POEM).numBytes(10).delay(Duration.ofMillis(50)).start();
                PoetryProxyServer proxy = FakeServers.proxy(upstream).start()) {
            FakeClient.to(proxy.host(), proxy.port()).pause(Duration.ofMillis(100)).close().start().await(LIMIT);
            ServerRecord seen = proxy.await(r -> !r.faults().isEmpty(), LIMIT);
            assertThat(seen.faults()).extracting(Fault::kind).containsExactly(FaultKind.DOWNLOAD_CANCELLED);
            assertThat(seen.log()).contains("Canceling poem download.");
            ConnectionRecord upstreamView = upstream.await(r -> r.connectionCount() == 1 && r.connection(1).ending() != Ending.OPEN, LIMIT)
                    .connection(1);
            assertThat(upstreamView.ending()).isIn(Ending.RESET_BY_PEER, Ending.CLOSED_BY_PEER);
            assertThat(upstreamView.bytesOut()).isLessThan(POEM.getBytes(UTF_8).length);
            assertThat(proxy.cachedPoem()).isNull();
        }
    }

    @Test
    void aDownloadCutShortCountsAsThePoemAndIsCached() {
        try (FastPoetryServer upstream = FakeServers.fastPoetry(POEM).start();
                ChaosServer cut = FakeServers.chaos(upstream).resetAfter(100).start();
                PoetryProxyServer proxy = FakeServers.proxy(cut).start()) {
            ClientRecord client = FakeClient.to(proxy.host(), proxy.port()).start().await(LIMIT);
            assertThat(client.received()).isEqualTo(Arrays.copyOf(POEM.getBytes(UTF_8), 100));
            assertThat(proxy.cachedPoem()).hasSize(100);
        }
    }

    @Test
    void resetAfterSendsExactlyThatManyBytesThenResets() {
        try (FastPoetryServer upstream = FakeServers.fastPoetry(POEM).start();
                ChaosServer chaos = FakeServers.chaos(upstream).resetAfter(50).start()) {
            ClientRecord client = FakeClient.to(chaos.host(), chaos.port()).start().await(LIMIT);
            assertThat(client.received()).isEqualTo(Arrays.copyOf(POEM.getBytes(UTF_8), 50));
            assertThat(client.ending()).isEqualTo(Ending.RESET_BY_PEER);
            assertThat(chaos.await(r -> !r.faults().isEmpty(), LIMIT).faults()).extracting(Fault::kind)
                    .containsExactly(FaultKind.RESET_AFTER_BYTES);
        }
    }

    @Test
    void neverAnswerAndCloseWithoutSending() {
        try (FastPoetryServer upstream = FakeServers.fastPoetry(POEM).start();
                ChaosServer silent = FakeServers.chaos(upstream).neverAnswer().start();
                ChaosServer rude = FakeServers.chaos(upstream).closeWithoutSending().start()) {
            ClientRecord waited = FakeClient.to(silent.host(), silent.port()).send("hello?").timeout(Duration.ofMillis(300)).start().await(LIMIT);
            assertThat(waited.timedOut()).isTrue();
            assertThat(waited.bytesReceived()).isZero();
            assertThat(silent.record().faults()).extracting(Fault::kind).containsExactly(FaultKind.NEVER_ANSWERED);

            ClientRecord closed = FakeClient.to(rude.host(), rude.port()).start().await(LIMIT);
            assertThat(closed.bytesReceived()).isZero();
            assertThat(closed.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
            assertThat(upstream.record().connectionCount()).isZero();
        }
    }

    @Test
    void garbageAndOversizedFramesComeFirst() {
        try (FastPoetryServer upstream = FakeServers.fastPoetry("poem").start();
                ChaosServer garbage = FakeServers.chaos(upstream).garbage(16).seed(7).start();
                ChaosServer oversized = FakeServers.chaos(upstream).oversizedFrame().start()) {
            ClientRecord first = FakeClient.to(garbage.host(), garbage.port()).start().await(LIMIT);
            ClientRecord again = FakeClient.to(garbage.host(), garbage.port()).start().await(LIMIT);
            assertThat(first.received()).hasSize(20);
            assertThat(new String(first.received(), 16, 4, UTF_8)).isEqualTo("poem");
            assertThat(Arrays.copyOf(again.received(), 16)).as("a new connection gets new garbage")
                    .isNotEqualTo(Arrays.copyOf(first.received(), 16));
            ClientRecord framed = FakeClient.to(oversized.host(), oversized.port()).start().await(LIMIT);
            assertThat(framed.receivedText()).isEqualTo("99999999999:poem");
        }
    }

    @Test
    void slicesLatencyAndBandwidthShapeTheStream() {
        try (FastPoetryServer upstream = FakeServers.fastPoetry(POEM).start();
                ChaosServer sliced = FakeServers.chaos(upstream).slice(1, Duration.ZERO).start();
                ChaosServer slow = FakeServers.chaos(upstream).latency(Duration.ofMillis(200)).bandwidth(2000).start()) {
            assertThat(FakeClient.to(sliced.host(), sliced.port()).start().await(LIMIT).receivedText()).isEqualTo(POEM);
            ConnectionRecord slicedView = sliced.await(r -> r.connectionCount() == 1 && r.connection(1).ending() != Ending.OPEN, LIMIT)
                    .connection(1);
            assertThat(slicedView.writes()).hasSize(POEM.getBytes(UTF_8).length).containsOnly(1);

            assertThat(FakeClient.to(slow.host(), slow.port()).start().await(LIMIT).receivedText()).isEqualTo(POEM);
            ConnectionRecord slowView = slow.await(r -> r.connectionCount() == 1 && r.connection(1).ending() != Ending.OPEN, LIMIT)
                    .connection(1);
            assertThat(slowView.writeTimes().get(0)).as("held back by the latency").isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void halfCloseAfterSendsThenShutsTheSendingSide() {
        try (SlowPoetryServer upstream = FakeServers.slowPoetry(POEM).numBytes(700).delay(Duration.ofSeconds(5)).start();
                ChaosServer chaos = FakeServers.chaos(upstream).halfCloseAfter(30).start()) {
            ClientRecord client = FakeClient.to(chaos.host(), chaos.port()).awaitReceived(30).send("still talking")
                    .start().await(LIMIT);
            assertThat(client.received()).isEqualTo(Arrays.copyOf(POEM.getBytes(UTF_8), 30));
            assertThat(client.serverHalfClosed()).isTrue();
            ServerRecord seen = chaos.await(r -> r.connection(1).bytesIn() == 13, LIMIT);
            assertThat(seen.faults()).extracting(Fault::kind).containsExactly(FaultKind.HALF_CLOSED);
        }
    }

    @Test
    void anUnreachableTargetIsRecorded() {
        try (ChaosServer chaos = FakeServers.chaos("127.0.0.1", FakeServers.closedPort()).start()) {
            ClientRecord client = FakeClient.to(chaos.host(), chaos.port()).start().await(LIMIT);
            assertThat(client.bytesReceived()).isZero();
            assertThat(chaos.await(r -> !r.faults().isEmpty(), LIMIT).faults()).extracting(Fault::kind)
                    .containsExactly(FaultKind.TARGET_UNREACHABLE);
        }
    }
}
