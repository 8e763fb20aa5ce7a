package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.application.Services;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.Poems;
import dev.twine.reactor.nio.NioReactor;
import dev.twine.testing.Poll;
import dev.twine.tutorial.programs.FastPoetryService;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

class ServicesRunWithTest {
    static final String POEM = Poems.named("science");

    /** Services.runWith: the services stop (waited for) before the reactor shuts down; their port is free after. */
    @org.junit.jupiter.api.Test
    void runWithStopsTheServicesBeforeTheReactorStops() throws Exception {
        Path file = Files.createTempFile("poem", ".txt");
        Files.writeString(file, POEM);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        NioReactor reactor = new NioReactor();
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.twine.log.LogObserver observer = event -> logged.add("[" + event.system() + "] " + event.message());
        dev.twine.log.Log.addObserver(observer);
        Services.runWith(reactor, FastPoetryService.create(reactor, file, port, "127.0.0.1"));
        ClientRecord[] got = new ClientRecord[1];
        reactor.callWhenRunning(() -> reactor.callLater(Duration.ofMillis(20), () ->
                Poll.future(reactor, FakeClient.to("127.0.0.1", port).start().finished()).addVoidCallback(record -> {
                    got[0] = record;
                    reactor.stop();
                })));
        reactor.callLater(Duration.ofSeconds(20), reactor::stop);
        try {
            reactor.run();
        } finally {
            dev.twine.log.Log.removeObserver(observer);
        }
        assertThat(got[0].receivedText()).isEqualTo(POEM);
        assertThat(logged).contains("[fastpoetry] stopping", "[poetry] stopped");
        try (ServerSocket again = new ServerSocket(port)) {
            assertThat(again.getLocalPort()).as("the port is free once run() returned").isEqualTo(port);
        }
        Files.delete(file);
    }
}
