package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.application.MultiService;
import dev.twine.defer.Deferred;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.Poems;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Poll;
import dev.twine.trial.TrialTest;
import dev.twine.tutorial.programs.FastPoetryService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The fast poetry server as services: started in order, stopped in reverse, with the reactor. */
class FastPoetryServiceTest {
    static final String POEM = Poems.named("science");

    @TrialTest
    Deferred<Void> startsLoadsServesAndStopsInReverse(Reactor reactor) throws IOException {
        Path file = Files.createTempFile("poem", ".txt");
        Files.writeString(file, POEM);
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.twine.log.LogObserver observer = event -> logged.add("[" + event.system() + "] " + event.message());
        dev.twine.log.Log.addObserver(observer);
        MultiService service = FastPoetryService.create(reactor, file, 0, "127.0.0.1");
        return service.startService().addDeferredCallback(started -> {
            int port = ((IPv4Address) ((dev.twine.application.Services.TcpServer) service.children().get(1))
                    .listeningPort().getHost()).port();
            return Poll.future(reactor, FakeClient.to("127.0.0.1", port).start().finished());
        }).addDeferredCallback(record -> {
            assertThat(record.receivedText()).isEqualTo(POEM);
            return service.stopService();
        }).addVoidCallback(stopped -> {
            dev.twine.log.Log.removeObserver(observer);
            List<String> lines = List.copyOf(logged);
            assertThat(lines).hasSize(5);
            assertThat(lines.get(0)).isEqualTo("[poetry] loaded a poem from " + file);
            assertThat(lines.get(1)).startsWith("[fastpoetry] serving " + file + " on IPv4Address(type='TCP', host='127.0.0.1'");
            assertThat(lines.get(2)).startsWith("[fastpoetry] sending 669 bytes of poetry to IPv4Address(");
            assertThat(lines.subList(3, 5)).containsExactly("[fastpoetry] stopping", "[poetry] stopped");
            assertThat(service.isRunning()).isFalse();
            Files.delete(file);
        });
    }
}
