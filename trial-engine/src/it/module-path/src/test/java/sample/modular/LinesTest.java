package sample.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;

class LinesTest {
    @TrialTest
    void runsInsideTheModule() {
        // Only on the module path is the test class in the named module, and Twine's API in its
        // automatic module named by the manifest (a jar's file name would give "twine.reactor.api").
        assertEquals("sample.modular", getClass().getModule().getName());
        assertEquals("dev.twine.reactor.api", Reactor.class.getModule().getName());
        assertEquals("dev.twine.reactor.api", Deferred.class.getModule().getName());
    }

    @TrialTest
    Deferred<Long> countsLater(Reactor reactor) {
        return Lines.countLater(reactor, "a\nb\nc").addCallback(count -> {
            assertEquals(3L, count);
            return count;
        });
    }
}
