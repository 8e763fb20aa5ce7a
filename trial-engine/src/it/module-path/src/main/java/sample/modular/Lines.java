package sample.modular;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.task.Tasks;
import java.time.Duration;

/** Counts a poem's lines on the reactor, a little later. */
public final class Lines {
    private Lines() {
    }

    public static Deferred<Long> countLater(Reactor reactor, String poem) {
        return Tasks.deferLater(reactor, Duration.ofMillis(10), () -> poem.lines().count());
    }
}
