package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.task.Tasks;
import dev.twine.trial.Skip;
import dev.twine.trial.TrialTest;
import java.time.Duration;

class PoemTest {
    @TrialTest
    void countsLines() {
        assertEquals(3, "a\nb\nc".lines().count());
    }

    @TrialTest
    Deferred<String> arrivesLater(Reactor reactor) {
        return Tasks.deferLater(reactor, Duration.ofMillis(20), () -> "a poem").addCallback(poem -> {
            assertEquals("a poem", poem);
            return poem;
        });
    }

    @TrialTest
    @Skip("not in this season")
    void skipped() {
    }
}
