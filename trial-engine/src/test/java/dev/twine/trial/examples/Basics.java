package dev.twine.trial.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Run by the engine's tests through EngineTestKit. */
public class Basics {
    public static volatile Thread lastTestThread;

    @TrialTest
    void passesSynchronously() {
        lastTestThread = Thread.currentThread();
        assertThat(1 + 1).isEqualTo(2);
    }

    @TrialTest
    Deferred<String> passesWhenTheDeferredFires(Reactor reactor) {
        Deferred<String> later = new Deferred<>();
        reactor.callLater(Duration.ofMillis(10), () -> later.callback("fired"));
        return later.addCallback(value -> {
            assertThat(value).isEqualTo("fired");
            return value;
        });
    }

    @TrialTest
    CompletionStage<Integer> passesWhenTheStageCompletes() {
        return CompletableFuture.supplyAsync(() -> 42);
    }

    @TrialTest
    void failsAnAssertion() {
        assertThat("poem").isEqualTo("prose");
    }

    @TrialTest
    void throwsSynchronously() throws IOException {
        throw new IOException("thrown at once");
    }

    @TrialTest
    Deferred<Void> returnsNull() {
        return null;
    }

    @TrialTest
    Deferred<Void> failsAsynchronously(Reactor reactor) {
        Deferred<Void> later = new Deferred<>();
        reactor.callLater(Duration.ofMillis(5), () -> later.errback(new IllegalStateException("failed later")));
        return later;
    }

    @TrialTest
    Deferred<Void> firesTwice(Reactor reactor) {
        Deferred<Void> d = new Deferred<>();
        reactor.callLater(Duration.ZERO, () -> {
            d.callback(null);
            d.callback(null);
        });
        return d;
    }
}
