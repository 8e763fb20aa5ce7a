package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.assertNoResult;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pausing: DEF-13. */
class DeferredPauseTest {

    @Test
    @DisplayName("DEF-13 pauses nest by count: the chain runs only when the last pause is undone")
    void pausesNest() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        d.addCallback(s -> {
            seen.add(s);
            return s;
        });
        d.pause();
        d.pause();
        d.callback("v");
        assertThat(seen).isEmpty();
        d.unpause();
        assertThat(seen).isEmpty();
        d.unpause();
        assertThat(seen).containsExactly("v");
    }

    @Test
    @DisplayName("DEF-13 unpausing before the Deferred fires does not run anything; firing afterwards runs the chain")
    void unpauseBeforeCallback() {
        Deferred<String> d = new Deferred<>();
        d.pause();
        d.unpause();
        assertNoResult(d);
        d.callback("later");
        assertThat(successResultOf(d)).isEqualTo("later");
    }

    @Test
    @DisplayName("DEF-13 a paused failure waits on the errback side too")
    void pausedFailure() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        d.pause();
        d.errback(new IOException("held"));
        d.addErrback(f -> {
            seen.add(f.getErrorMessage());
            return "ok";
        });
        assertThat(seen).isEmpty();
        d.unpause();
        assertThat(seen).containsExactly("held");
    }

    @Test
    @DisplayName("DEF-13 an unpause without a pause is an error raised to the caller, not a stalled chain")
    void strayUnpauseIsRejected() {
        Deferred<String> d = new Deferred<>();
        assertThatThrownBy(d::unpause).isInstanceOf(IllegalStateException.class).hasMessageContaining("without a matching pause");
        d.callback("still works");
        assertThat(successResultOf(d)).isEqualTo("still works");
    }
}
