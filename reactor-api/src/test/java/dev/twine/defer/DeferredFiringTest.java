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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Firing once, and the ways to make fired Deferreds: DEF-06, DEF-25, DEF-26. */
class DeferredFiringTest {

    @ParameterizedTest(name = "{0} then {1}")
    @DisplayName("DEF-06 a second callback/errback raises AlreadyCalledException and leaves the chain untouched")
    @CsvSource({"callback,callback", "callback,errback", "errback,callback", "errback,errback"})
    void secondFiringRaises(String first, String second) {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        d.addVoidBoth((value, failure) -> {
            seen.add(failure == null ? "value " + value : "failure " + failure.getErrorMessage());
        });
        fire(d, first, "first");

        assertThatThrownBy(() -> fire(d, second, "second")).isInstanceOf(AlreadyCalledException.class);

        assertThat(seen).containsExactly(first.equals("callback") ? "value first" : "failure first");
        assertThat(successResultOf(d)).isNull();
    }

    private static void fire(Deferred<String> d, String how, String what) {
        if (how.equals("callback")) {
            d.callback(what);
        } else {
            d.errback(new IOException(what));
        }
    }

    @Test
    @DisplayName("DEF-25 execute: a value gives a fired Deferred, an exception or a returned Failure a failed one")
    void executeLiftsValuesAndErrors() {
        assertThat(successResultOf(Deferred.execute(() -> "v"))).isEqualTo("v");
        assertThat(failureResultOf(Deferred.execute(() -> {
            throw new IOException("sync");
        })).value()).hasMessage("sync");
        Failure failure = new Failure(new IllegalStateException("returned"));
        assertThat(failureResultOf(Deferred.execute(() -> failure))).isSameAs(failure);
    }

    @Test
    @DisplayName("DEF-25 maybeDeferred: a returned Deferred is that same object; a throw gives a failed Deferred")
    void maybeDeferredReturnsTheSameDeferred() {
        Deferred<String> pending = new Deferred<>();
        assertThat(Deferred.maybeDeferred(() -> pending)).isSameAs(pending);
        assertThat(failureResultOf(Deferred.<String>maybeDeferred(() -> {
            throw new IOException("before it started");
        })).value()).hasMessage("before it started");
        assertThat(failureResultOf(Deferred.<String>maybeDeferred(() -> null)).value())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void executeRefusesWorkThatReturnsADeferred() {
        assertThat(failureResultOf(Deferred.execute(() -> Deferred.succeed(1))).value())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maybeDeferred");
    }

    @Test
    @DisplayName("DEF-26 succeed(v) is the same as a new Deferred fired with v; fail(e) is already failed")
    void succeedMatchesManualSuccess() {
        Deferred<String> manual = new Deferred<>();
        manual.callback("same");
        Deferred<String> made = Deferred.succeed("same");
        assertThat(made.isCalled()).isEqualTo(manual.isCalled()).isTrue();
        assertThat(made.isPaused()).isEqualTo(manual.isPaused()).isFalse();
        assertThat(successResultOf(made)).isEqualTo(successResultOf(Deferred.succeed("same")));

        IOException error = new IOException("pre-failed");
        Deferred<String> failed = Deferred.fail(error);
        assertThat(failed.isCalled()).isTrue();
        assertThat(failureResultOf(failed).value()).isSameAs(error);
    }

    @Test
    void toStringShowsTheState() {
        Deferred<String> d = new Deferred<>();
        assertThat(d.toString()).matches("<Deferred@[0-9a-f]+>");
        d.callback("x");
        assertThat(d.toString()).matches("<Deferred@[0-9a-f]+ current result: x>");
        Deferred<String> outer = Deferred.succeed("o");
        Deferred<String> inner = new Deferred<>();
        outer.addDeferredCallback(s -> inner);
        assertThat(outer.toString()).contains("waiting on Deferred@");
        inner.callback("done");
    }
}
