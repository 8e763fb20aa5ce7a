package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServer;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.Poems;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Poll;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import dev.twine.tutorial.servers.FastPoetry;
import dev.twine.tutorial.servers.SlowPoetry;
import dev.twine.tutorial.servers.TransformServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The servers written on the reactor, checked on the wire against the fake servers (the
 * independent reference): one scripted client against each, and the two records must show the
 * same bytes received and the same ending (a clean close by the server, or none).
 */
@dev.twine.trial.Timeout(30)
class ServersOnTheReactorTest {
    private final Captured captured = new Captured();

    private static int port(ListeningPort port) {
        return ((IPv4Address) port.getHost()).port();
    }

    /** Runs {@code script} against the reactor's server and against the fake, and compares what the clients saw. */
    private static Deferred<ClientRecord> sameOnTheWire(Reactor reactor, TrialContext test, ListeningPort ours, FakeServer reference,
            UnaryOperator<FakeClient.Builder> script) {
        test.addCleanup(ours::stopListening);
        test.addCleanup(reference::close);
        return Poll.future(reactor, script.apply(FakeClient.to("127.0.0.1", port(ours))).start().finished())
                .addDeferredCallback(mine -> Poll.future(reactor,
                        script.apply(FakeClient.to("127.0.0.1", reference.port())).start().finished()).addCallback(theirs -> {
                            assertThat(mine.connectError()).isNull();
                            assertThat(mine.receivedText()).isEqualTo(theirs.receivedText());
                            assertThat(mine.received()).isEqualTo(theirs.received());
                            assertThat(mine.ending()).as("how the connection ended").isEqualTo(theirs.ending());
                            assertThat(mine.serverHalfClosed()).isEqualTo(theirs.serverHalfClosed());
                            assertThat(mine.timedOut()).isFalse();
                            return mine;
                        }));
    }

    @TrialTest
    Deferred<Void> fastPoetrySendsThePoemAndClosesAsTheFakeDoes(Reactor reactor, TrialContext test) {
        String poem = Poems.named("alla-sera");
        ListeningPort ours = FastPoetry.listen(reactor, poem, "alla-sera.txt", 0, "127.0.0.1", captured.console);
        assertThat(captured.out()).isEqualTo("Serving alla-sera.txt on " + ours.getHost() + ".\n");
        return sameOnTheWire(reactor, test, ours, FakeServers.fastPoetry(poem).start(), client -> client).addVoidCallback(seen -> {
            assertThat(seen.receivedText()).isEqualTo(poem);
            assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
        });
    }

    @TrialTest
    Deferred<Void> slowPoetrySendsTheSameChunksAndClosesAsTheFakeDoes(Reactor reactor, TrialContext test) {
        // Non-ASCII, so that chunks of characters are not chunks of bytes.
        String poem = Poems.named("alla-sera");
        Duration delay = Duration.ofMillis(1);
        ListeningPort ours = SlowPoetry.listen(reactor, poem, "alla-sera.txt", 7, delay, 0, "127.0.0.1", captured.console);
        return sameOnTheWire(reactor, test, ours, FakeServers.slowPoetry(poem).numBytes(7).delay(delay).start(), client -> client)
                .addVoidCallback(seen -> {
                    assertThat(seen.receivedText()).isEqualTo(poem);
                    assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
                    long chunks = captured.out().lines().filter(line -> line.startsWith("Sending ")).count();
                    assertThat(chunks).isEqualTo((poem.codePointCount(0, poem.length()) + 6) / 7);
                    assertThat(captured.out()).startsWith("Serving alla-sera.txt on port " + port(ours) + ".\nSomebody at ('127.0.0.1', ")
                            .contains("Sending 7 bytes\n");
                });
    }

    private static byte[] netstring(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (bytes.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + bytes.length + 1];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(bytes, 0, frame, prefix.length, bytes.length);
        frame[frame.length - 1] = ',';
        return frame;
    }

    private Deferred<ClientRecord> transform(Reactor reactor, TrialContext test, byte[] request) {
        ListeningPort ours = TransformServer.listen(reactor, 0, "127.0.0.1", captured.console);
        return sameOnTheWire(reactor, test, ours, FakeServers.transform().start(), client -> client.send(request));
    }

    @TrialTest
    Deferred<Void> theTransformServerCummingsifiesAsTheFakeDoes(Reactor reactor, TrialContext test) {
        String poem = Poems.named("alla-sera");
        return transform(reactor, test, netstring("cummingsify." + poem)).addVoidCallback(seen -> {
            assertThat(seen.received()).isEqualTo(netstring(poem.toLowerCase(java.util.Locale.ROOT)));
            assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
            assertThat(captured.out()).startsWith("Serving transforms on IPv4Address(type='TCP', host='127.0.0.1', port=");
        });
    }

    @TrialTest
    Deferred<Void> anUnknownTransformGetsNoReplyAndACleanClose(Reactor reactor, TrialContext test) {
        return transform(reactor, test, netstring("reverse.a poem")).addVoidCallback(seen -> {
            assertThat(seen.received()).isEmpty();
            assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
        });
    }

    @TrialTest
    Deferred<Void> aRequestWithoutADotGetsNoReplyAndACleanClose(Reactor reactor, TrialContext test) {
        return transform(reactor, test, netstring("cummingsify")).addVoidCallback(seen -> {
            assertThat(seen.received()).isEmpty();
            assertThat(seen.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
        });
    }

    @TrialTest
    Deferred<Void> anEmptyTransformNameGetsNoReply(Reactor reactor, TrialContext test) {
        return transform(reactor, test, netstring(".a poem")).addVoidCallback(seen -> {
            assertThat(seen.received()).isEmpty();
        });
    }

    @TrialTest
    Deferred<Void> malformedFramingIsClosedAsTheFakeDoes(Reactor reactor, TrialContext test) {
        return transform(reactor, test, "x:cummingsify.poem,".getBytes(StandardCharsets.US_ASCII)).addVoidCallback(seen -> {
            assertThat(seen.received()).isEmpty();
        });
    }

    @TrialTest
    void theFactoryMapsNamesToTheServicesTransforms() {
        TransformServer.TransformFactory factory = new TransformServer.TransformFactory(new TransformServer.TransformService());
        assertThat(factory.transform("cummingsify", "The Poem")).contains("the poem");
        assertThat(factory.transform("transform", "The Poem")).isEmpty();
        assertThat(factory.transform("getClass", "The Poem")).as("no method of the factory is a transform").isEmpty();
    }
}
