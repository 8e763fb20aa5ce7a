package dev.twine.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The chain: DEF-01 to DEF-07. */
class DeferredCallbackTest {

    @Test
    @DisplayName("DEF-01 callbacks run in order, each fed the previous one's return value")
    void callbacksRunInOrderFeedingResults() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        Deferred<Integer> lengths = d.addCallback(s -> {
            seen.add("first:" + s);
            return s + "!";
        }).addCallback(s -> {
            seen.add("second:" + s);
            return s.length();
        });
        assertThat(seen).isEmpty();

        d.callback("hello");

        assertThat(seen).containsExactly("first:hello", "second:hello!");
        assertThat(successResultOf(lengths)).isEqualTo(6);
        assertThat(lengths).isSameAs(d);
    }

    @Test
    @DisplayName("DEF-02 a (callback, errback) pair is one slot; a missing half passes the result through")
    void pairIsOneSlot() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(s -> {
            seen.add("callback");
            throw new IOException("from the callback");
        }, f -> {
            seen.add("errback of the same pair");
            return "recovered";
        }).addErrback(f -> {
            seen.add("next errback: " + f.getErrorMessage());
            return "handled";
        });

        d.callback("x");

        assertThat(seen).containsExactly("callback", "next errback: from the callback");

        Deferred<String> passing = Deferred.succeed("value");
        passing.addErrback(f -> "never");
        assertThat(successResultOf(passing)).isEqualTo("value");

        Deferred<String> failing = Deferred.fail(new IOException("kept"));
        failing.addCallback(s -> "never");
        assertThat(failureResultOf(failing).value()).hasMessage("kept");
    }

    @Test
    @DisplayName("DEF-03 a Failure goes to the next errback; an errback that returns a value resumes the callback side")
    void failureGoesToNextErrbackAndRecovers() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        d.addCallback(s -> {
            seen.add("skipped callback");
            return s;
        }).addErrback(f -> {
            seen.add("errback " + f.type().getSimpleName());
            return "recovered";
        }).addCallback(s -> {
            seen.add("callback " + s);
            return s;
        });

        d.errback(new IllegalStateException("boom"));

        assertThat(seen).containsExactly("errback IllegalStateException", "callback recovered");
        assertThat(successResultOf(d)).isEqualTo("recovered");
    }

    @Test
    @DisplayName("DEF-04 a callback that throws or returns a Failure switches to the errback side")
    void throwingOrReturningFailureSwitchesSides() {
        Deferred<String> thrown = Deferred.succeed("x");
        Deferred<String> afterThrow = thrown.addCallback(s -> {
            throw new IOException("thrown");
        });
        assertThat(failureResultOf(afterThrow).value()).isInstanceOf(IOException.class).hasMessage("thrown");

        Deferred<String> returned = Deferred.succeed("x");
        Failure failure = new Failure(new IllegalArgumentException("returned"));
        Deferred<Object> afterReturn = returned.addCallback(s -> failure);
        List<String> seen = new ArrayList<>();
        afterReturn.addCallback(v -> {
            seen.add("callback saw " + v);
            return v;
        });
        assertThat(seen).isEmpty();
        assertThat(failureResultOf(afterReturn)).isSameAs(failure);
    }

    @Test
    @DisplayName("DEF-04 an errback that rethrows with trap keeps the same error on the errback side")
    void trapRethrowsUnmatched() {
        IOException original = new IOException("io");
        Deferred<String> d = Deferred.fail(original);
        List<String> seen = new ArrayList<>();
        d.addErrback(f -> {
            f.trap(IllegalStateException.class);
            seen.add("trapped");
            return "no";
        });
        assertThat(seen).isEmpty();
        assertThat(failureResultOf(d).value()).isSameAs(original);
    }

    @Test
    @DisplayName("DEF-05 errback(exception) wraps the exception in a Failure")
    void errbackWrapsInFailure() {
        Object[] received = new Object[1];
        Deferred<String> d = new Deferred<>();
        d.addVoidErrback(f -> {
            received[0] = f;
        });
        IOException error = new IOException("wrapped");

        d.errback(error);

        assertThat(received[0]).isInstanceOf(Failure.class);
        assertThat(((Failure) received[0]).value()).isSameAs(error);
    }

    @Test
    @DisplayName("DEF-07 callbacks added after firing run at once, in the caller")
    void callbacksAddedAfterFiringRunAtOnce() {
        Deferred<String> d = Deferred.succeed("now");
        List<String> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        d.addCallback(s -> {
            seen.add(s + " on " + (Thread.currentThread() == caller ? "caller" : "other"));
            return s;
        });
        assertThat(seen).containsExactly("now on caller");
    }

    @Test
    @DisplayName("DEF-07 a callback added by a running callback is appended and runs after it returns")
    void reentrantAddIsAppended() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        d.addCallback(s -> {
            d.addCallback(inner -> {
                seen.add("added inside, sees " + inner);
                return inner;
            });
            seen.add("first finishing");
            return s + "-1";
        }).addCallback(s -> {
            seen.add("second sees " + s);
            return s + "-2";
        });

        d.callback("v");

        assertThat(seen).containsExactly("first finishing", "second sees v-1", "added inside, sees v-1-2");
    }

    @Test
    @DisplayName("DEF-04 a plain callback that returns a Deferred is reported as a Failure, never a result")
    void plainCallbackReturningDeferredFails() {
        Deferred<String> d = Deferred.succeed("x");
        Deferred<Deferred<String>> wrong = d.addCallback(s -> Deferred.succeed(s));
        Failure failure = failureResultOf(wrong);
        assertThat(failure.value()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("addDeferredCallback");
    }

    @Test
    void callbackWithADeferredValueIsRefused() {
        Deferred<Object> d = new Deferred<>();
        assertThatThrownBy(() -> d.callback(Deferred.succeed(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chainDeferred");
        assertThat(d.isCalled()).isFalse();
    }

    @Test
    void addBothSeesEitherSide() {
        List<String> seen = new ArrayList<>();
        Deferred.succeed("v").addBoth((value, failure) -> seen.add("value=" + value + " failure=" + failure));
        Deferred.<String>fail(new IOException("e")).addBoth((value, failure) -> seen.add("value=" + value + " failure=" + failure.getErrorMessage()));
        assertThat(seen).containsExactly("value=v failure=null", "value=null failure=e");
    }

    @Test
    void typedChainReadsWithoutCasts() {
        Deferred<String> poem = new Deferred<>();
        Deferred<Integer> length = poem.addCallback(String::length);
        Deferred<String> described = length.addCallback(n -> n + " bytes");
        poem.callback("abc");
        assertThat(successResultOf(described)).isEqualTo("3 bytes");
    }

    static <T> T successResultOf(Deferred<T> d) {
        return DeferredTesting.successResultOf(d);
    }

    static Failure failureResultOf(Deferred<?> d) {
        return DeferredTesting.failureResultOf(d);
    }
}
