package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Cancellation: DEF-14 to DEF-18. */
class DeferredCancelTest {

    @Test
    @DisplayName("DEF-14 cancel() without a canceller fails the Deferred with a message-less CancelledException")
    void noCanceller() {
        Deferred<String> d = new Deferred<>();
        d.cancel();
        Failure failure = failureResultOf(d);
        assertThat(failure.value()).isExactlyInstanceOf(CancelledException.class);
        assertThat(failure.value().getMessage()).isNull();
    }

    @Test
    @DisplayName("DEF-15 the canceller is called once, with the Deferred; without a result of its own, CancelledException follows")
    void cancellerCalledOnceWithTheDeferred() {
        List<Deferred<String>> calls = new ArrayList<>();
        Deferred<String> d = new Deferred<>(calls::add);
        d.cancel();
        d.cancel();
        assertThat(calls).containsExactly(d);
        assertThat(failureResultOf(d).value()).isInstanceOf(CancelledException.class);
    }

    @Test
    @DisplayName("DEF-15 a canceller that fires the Deferred decides its result")
    void cancellerResultWins() {
        Deferred<String> callbacks = new Deferred<>(self -> self.callback("cancelled politely"));
        callbacks.cancel();
        assertThat(successResultOf(callbacks)).isEqualTo("cancelled politely");

        IOException error = new IOException("own error");
        Deferred<String> errbacks = new Deferred<>(self -> self.errback(error));
        errbacks.cancel();
        assertThat(failureResultOf(errbacks).value()).isSameAs(error);
    }

    @Test
    void cancellerThatThrowsFailsTheDeferredWithItsError() {
        IllegalStateException error = new IllegalStateException("canceller broke");
        Deferred<String> d = new Deferred<>(self -> {
            throw error;
        });
        d.cancel();
        assertThat(failureResultOf(d).value()).isSameAs(error);
    }

    @Test
    @DisplayName("DEF-16 after cancel, one later callback is silently dropped and the next raises AlreadyCalledException")
    void resultAfterCancelIsDroppedOnce() {
        Deferred<String> d = new Deferred<>();
        d.cancel();
        d.callback("late result of abandoned work");
        assertThatThrownBy(() -> d.callback("again")).isInstanceOf(AlreadyCalledException.class);
        assertThat(failureResultOf(d).value()).isInstanceOf(CancelledException.class);

        Deferred<String> e = new Deferred<>();
        e.cancel();
        e.errback(new IOException("late error"));
        assertThatThrownBy(() -> e.errback(new IOException("again"))).isInstanceOf(AlreadyCalledException.class);
    }

    @Test
    @DisplayName("DEF-16 repeated cancels are no-ops")
    void repeatedCancels() {
        Deferred<String> d = new Deferred<>();
        d.cancel();
        d.cancel();
        d.cancel();
        assertThat(failureResultOf(d).value()).isInstanceOf(CancelledException.class);
    }

    @Test
    @DisplayName("DEF-17 cancel() on a fired Deferred does nothing and skips the canceller")
    void cancelAfterFiring() {
        List<String> cancellerCalls = new ArrayList<>();
        Deferred<String> d = new Deferred<>(self -> cancellerCalls.add("called"));
        d.callback("done");
        d.cancel();
        assertThat(cancellerCalls).isEmpty();
        assertThat(successResultOf(d)).isEqualTo("done");

        Deferred<String> failed = new Deferred<>(self -> cancellerCalls.add("called"));
        failed.errback(new IOException("failed first"));
        failed.cancel();
        assertThat(cancellerCalls).isEmpty();
        assertThat(failureResultOf(failed).value()).hasMessage("failed first");
    }

    @Test
    @DisplayName("DEF-18 cancelling a Deferred that waits on an inner one cancels the inner (its canceller, not the outer's)")
    void cancelWaitingOuterCancelsInner() {
        List<String> cancellers = new ArrayList<>();
        Deferred<String> inner = new Deferred<>(self -> cancellers.add("inner"));
        Deferred<String> outer = new Deferred<>(self -> cancellers.add("outer"));
        outer.addDeferredCallback(s -> inner);
        outer.callback("go");

        outer.cancel();

        assertThat(cancellers).containsExactly("inner");
        assertThat(failureResultOf(outer).value()).isInstanceOf(CancelledException.class);
    }
}
