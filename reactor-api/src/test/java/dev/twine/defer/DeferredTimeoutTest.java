package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.assertNoResult;
import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.task.Clock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** addTimeout: DEF-19. */
class DeferredTimeoutTest {
    private final Clock clock = new Clock();

    @Test
    @DisplayName("DEF-19 addTimeout cancels at the timeout and turns the CancelledException into DeferredTimeoutException")
    void timesOut() {
        Deferred<String> d = new Deferred<String>().addTimeout(Duration.ofSeconds(10), clock);
        clock.advance(Duration.ofSeconds(9));
        assertNoResult(d);

        clock.advance(Duration.ofSeconds(1));

        Failure failure = failureResultOf(d);
        assertThat(failure.value()).isInstanceOf(DeferredTimeoutException.class).hasMessage("Deferred timed out after 10 s");
        assertThat(((DeferredTimeoutException) failure.value()).timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("DEF-19 firing in time cancels the timer and keeps the result")
    void firingInTimeCancelsTheTimer() {
        Deferred<String> d = new Deferred<>();
        d.addTimeout(Duration.ofSeconds(10), clock);
        assertThat(clock.getDelayedCalls()).hasSize(1);
        d.callback("in time");
        assertThat(clock.getDelayedCalls()).isEmpty();
        assertThat(successResultOf(d)).isEqualTo("in time");

        Deferred<String> failing = new Deferred<>();
        failing.addTimeout(Duration.ofSeconds(10), clock);
        failing.errback(new IOException("own failure"));
        assertThat(clock.getDelayedCalls()).isEmpty();
        assertThat(failureResultOf(failing).value()).isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("DEF-19 a canceller's own result wins over the timeout")
    void cancellerResultWins() {
        Deferred<String> d = new Deferred<String>(self -> self.callback("canceller's answer"))
                .addTimeout(Duration.ofSeconds(1), clock);
        clock.advance(Duration.ofSeconds(1));
        assertThat(successResultOf(d)).isEqualTo("canceller's answer");

        IOException error = new IOException("canceller's error");
        Deferred<String> e = new Deferred<String>(self -> self.errback(error)).addTimeout(Duration.ofSeconds(1), clock);
        clock.advance(Duration.ofSeconds(1));
        assertThat(failureResultOf(e).value()).isSameAs(error);
    }

    @Test
    @DisplayName("DEF-19 onTimeoutCancel translates the result of a timed-out cancellation")
    void onTimeoutCancelTranslates() {
        Deferred<String> d = new Deferred<String>().addTimeout(Duration.ofSeconds(5), clock,
                (value, failure) -> "gave up on " + failure.type().getSimpleName());
        clock.advance(Duration.ofSeconds(5));
        assertThat(successResultOf(d)).isEqualTo("gave up on CancelledException");
    }

    @Test
    @DisplayName("DEF-19 onTimeoutCancel is not called when the Deferred fires in time")
    void onTimeoutCancelOnlyOnTimeout() {
        boolean[] called = {false};
        Deferred<String> d = new Deferred<String>().addTimeout(Duration.ofSeconds(5), clock, (value, failure) -> {
            called[0] = true;
            return "translated";
        });
        d.callback("ok");
        clock.advance(Duration.ofSeconds(10));
        assertThat(called[0]).isFalse();
        assertThat(successResultOf(d)).isEqualTo("ok");
    }
}
