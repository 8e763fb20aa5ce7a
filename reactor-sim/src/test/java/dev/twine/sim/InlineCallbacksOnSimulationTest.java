package dev.twine.sim;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.defer.InlineCallbacks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An {@code inlineCallbacks} body runs on a thread of its own, but only while the simulation's
 * thread has handed it control: it may use the hosts (the tutorial's clients 7.0 and 8.0 do).
 */
class InlineCallbacksOnSimulationTest {

    @Test
    void aBodyUsesTheHostsWhileTheSimulationThreadHasHandedItControl() {
        Simulation sim = new Simulation(3);
        SimulatedReactor host = sim.host("client");
        List<String> seen = new ArrayList<>();
        Deferred<String> done = inlineCallbacks(() -> {
            seen.add("controlled by " + (InlineCallbacks.controllingThread() == Thread.currentThread() ? "itself"
                    : InlineCallbacks.controllingThread().getName()));
            for (int i = 1; i <= 3; i++) {
                Deferred<Void> tick = new Deferred<>();
                host.callLater(Duration.ofSeconds(1), () -> tick.callback(null)); // from the body's thread
                await(tick);
                seen.add(host.seconds() + "s");
            }
            return "done";
        });
        assertThat(sim.runUntil(done)).isEqualTo("done");
        assertThat(seen).containsExactly("controlled by " + Thread.currentThread().getName(), "1.0s", "2.0s", "3.0s");
        assertThat(InlineCallbacks.controllingThread()).as("outside a body").isNull();
    }

    @Test
    void anotherThreadIsStillRefused() throws Exception {
        Simulation sim = new Simulation(3);
        SimulatedReactor host = sim.host("client");
        CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
            try {
                host.callLater(Duration.ofSeconds(1), () -> { });
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(thrown.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Only callFromThread may be called from another thread");
    }
}
