package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.Poems;
import dev.twine.fakes.SlowPoetryServer;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Poll;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import dev.twine.tutorial.programs.PoetryProxy;
import java.time.Duration;

/** The proxies: fetch once, cache, and (3.0) cancel the download of a client that leaves. */
@dev.twine.trial.Timeout(20)
class ProxyTest {
    static final String POEM = Poems.named("sonnet-18");

    private final Captured captured = new Captured();

    private static SlowPoetryServer upstream(TrialContext test, Duration delay) {
        SlowPoetryServer server = FakeServers.slowPoetry(POEM).numBytes(50).delay(delay).start();
        test.addCleanup(server::close);
        return server;
    }

    private static Deferred<ClientRecord> client(Reactor reactor, ListeningPort proxy) {
        return Poll.future(reactor, FakeClient.to("127.0.0.1", ((dev.twine.reactor.IPv4Address) proxy.getHost()).port()).start().finished());
    }

    private Deferred<Void> fetchesOnceThenServesFromTheCache(Reactor reactor, TrialContext test, PoetryProxy.Version version) {
        SlowPoetryServer upstream = upstream(test, Duration.ofMillis(2));
        ListeningPort proxy = PoetryProxy.listen(reactor, version, new HostPort("127.0.0.1", upstream.port()), 0, "127.0.0.1",
                captured.console);
        test.addCleanup(proxy::stopListening);
        return client(reactor, proxy).addDeferredCallback(first -> client(reactor, proxy).addVoidCallback(second -> {
            assertThat(first.receivedText()).isEqualTo(POEM);
            assertThat(second.receivedText()).isEqualTo(POEM);
            assertThat(captured.out()).isEqualTo("Proxying ('127.0.0.1', " + upstream.port() + ") on " + proxy.getHost()
                    + ".\nFetching poem from server.\nUsing cached poem.\n");
            assertThat(upstream.record().connectionCount()).as("fetches from upstream").isEqualTo(1);
        }));
    }

    @TrialTest
    Deferred<Void> proxy10CachesThePoem(Reactor reactor, TrialContext test) {
        return fetchesOnceThenServesFromTheCache(reactor, test, PoetryProxy.Version.V1);
    }

    @TrialTest
    Deferred<Void> proxy20CachesThePoem(Reactor reactor, TrialContext test) {
        return fetchesOnceThenServesFromTheCache(reactor, test, PoetryProxy.Version.V2);
    }

    @TrialTest
    Deferred<Void> proxy30CachesThePoem(Reactor reactor, TrialContext test) {
        return fetchesOnceThenServesFromTheCache(reactor, test, PoetryProxy.Version.V3);
    }

    @TrialTest
    Deferred<Void> proxy30CancelsTheDownloadWhenTheClientLeaves(Reactor reactor, TrialContext test) {
        SlowPoetryServer upstream = upstream(test, Duration.ofMillis(100));
        ListeningPort proxy = PoetryProxy.listen(reactor, PoetryProxy.Version.V3, new HostPort("127.0.0.1", upstream.port()),
                0, "127.0.0.1", captured.console);
        test.addCleanup(proxy::stopListening);
        int port = ((dev.twine.reactor.IPv4Address) proxy.getHost()).port();
        FakeClient leaver = FakeClient.to("127.0.0.1", port).pause(Duration.ofMillis(50)).close().start();
        return Poll.future(reactor, leaver.finished())
                .addDeferredCallback(gone -> Poll.until(reactor, () -> captured.out().contains("Canceling poem download.")))
                .addDeferredCallback(ignored -> Poll.until(reactor, () -> upstream.record().connectionCount() == 1
                        && upstream.record().connection(1).ending() != dev.twine.fakes.Ending.OPEN))
                .addVoidCallback(ignored -> {
                    assertThat(upstream.record().connection(1).bytesOut()).as("bytes the upstream sent before the cancel")
                            .isLessThan(POEM.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                    assertThat(captured.out()).endsWith("Fetching poem from server.\nCanceling poem download.\n");
                    // A clean close: the upstream reads end of stream (FIN) first. (Its next chunk is then
                    // answered with a reset by the closed socket, as it is in Twisted; an abort would
                    // have reset the connection with no end of stream at all.)
                    assertThat(upstream.record().connection(1).peerHalfClosed()).as("the cancelled download is closed cleanly, not reset")
                            .isTrue();
                });
    }

    @TrialTest
    Deferred<Void> aRefusedUpstreamClosesTheClientWithNothing(Reactor reactor, TrialContext test) {
        ListeningPort proxy = PoetryProxy.listen(reactor, PoetryProxy.Version.V2, new HostPort("127.0.0.1",
                FakeServers.closedPort()), 0, "127.0.0.1", captured.console);
        test.addCleanup(proxy::stopListening);
        return client(reactor, proxy).addVoidCallback(record -> {
            assertThat(record.bytesReceived()).isZero();
            assertThat(record.ending()).isEqualTo(dev.twine.fakes.Ending.CLOSED_BY_PEER);
            // 2.0 logs the error (the original also writes "None" to the client; Twine does not)
            assertThat(test.flushLoggedErrors(ConnectionRefusedException.class)).hasSize(1);
        });
    }

    @TrialTest
    Deferred<Void> proxy10ReportsARefusedUpstream(Reactor reactor, TrialContext test) {
        ListeningPort proxy = PoetryProxy.listen(reactor, PoetryProxy.Version.V1, new HostPort("127.0.0.1",
                FakeServers.closedPort()), 0, "127.0.0.1", captured.console);
        test.addCleanup(proxy::stopListening);
        return client(reactor, proxy).addVoidCallback(record -> {
            assertThat(record.bytesReceived()).isZero();
            assertThat(record.ending()).isEqualTo(dev.twine.fakes.Ending.CLOSED_BY_PEER);
            assertThat(test.flushLoggedErrors(ConnectionRefusedException.class)).as("the refused upstream is logged").hasSize(1);
        });
    }
}
