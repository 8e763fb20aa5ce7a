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

/** The {@code addVoid…} steps: a step that returns nothing leaves {@code null}, as Python's {@code None}. */
class DeferredVoidStepTest {

    @Test
    @DisplayName("addVoidCallback uses the value and leaves null; a Failure passes it by")
    void voidCallbackLeavesNull() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        Deferred<Void> done = d.addVoidCallback(seen::add);
        d.callback("poem");
        assertThat(seen).containsExactly("poem");
        assertThat(successResultOf(done)).isNull();

        Deferred<String> failing = Deferred.fail(new IOException("no poem"));
        Deferred<Void> skipped = failing.addVoidCallback(seen::add);
        assertThat(seen).containsExactly("poem");
        assertThat(failureResultOf(skipped).getErrorMessage()).isEqualTo("no poem");
    }

    @Test
    @DisplayName("a throwing addVoidCallback moves the chain to the errback side with its exception")
    void throwingVoidCallbackFails() {
        Deferred<Void> d = Deferred.succeed("x").addVoidCallback(s -> {
            throw new IOException("refused " + s);
        });
        Failure f = failureResultOf(d);
        assertThat(f.check(IOException.class)).isEqualTo(IOException.class);
        assertThat(f.getErrorMessage()).isEqualTo("refused x");
    }

    @Test
    @DisplayName("addVoidErrback handles a Failure and resumes with null; trap rethrows what it does not handle; values pass by")
    void voidErrback() {
        List<String> seen = new ArrayList<>();
        Deferred<String> handled = Deferred.<String>fail(new IOException("lost")).addVoidErrback(f -> seen.add(f.getErrorMessage()));
        assertThat(seen).containsExactly("lost");
        assertThat(successResultOf(handled)).isNull();

        Deferred<String> notTrapped = Deferred.<String>fail(new IllegalStateException("other"))
                .addVoidErrback(f -> f.trap(IOException.class));
        assertThat(failureResultOf(notTrapped).check(IllegalStateException.class)).isEqualTo(IllegalStateException.class);

        Deferred<String> value = Deferred.succeed("kept").addVoidErrback(f -> seen.add("never"));
        assertThat(successResultOf(value)).isEqualTo("kept");
        assertThat(seen).containsExactly("lost");
    }

    @Test
    @DisplayName("addVoidCallbacks runs exactly one half, so the errback never sees its own callback's error")
    void voidCallbacksIsOneSlot() {
        List<String> seen = new ArrayList<>();
        Deferred<Void> d = Deferred.succeed("x").addVoidCallbacks(s -> {
            seen.add("callback " + s);
            throw new IOException("from the callback");
        }, f -> seen.add("errback of the same pair"));
        assertThat(seen).containsExactly("callback x");
        assertThat(failureResultOf(d).getErrorMessage()).isEqualTo("from the callback");

        Deferred<Void> recovered = Deferred.<String>fail(new IOException("e")).addVoidCallbacks(
                s -> seen.add("never"), f -> seen.add("errback " + f.getErrorMessage()));
        assertThat(successResultOf(recovered)).isNull();
        assertThat(seen).containsExactly("callback x", "errback e");
    }

    @Test
    @DisplayName("addVoidBoth sees the value or the Failure, handles it, and leaves null")
    void voidBoth() {
        List<Object> seen = new ArrayList<>();
        Deferred<Void> fromValue = Deferred.succeed("v").addVoidBoth((value, failure) -> seen.add(failure == null ? value : failure));
        Deferred<Void> fromFailure = Deferred.<String>fail(new IOException("f"))
                .addVoidBoth((value, failure) -> seen.add(failure == null ? value : failure.getErrorMessage()));
        assertThat(seen).containsExactly("v", "f");
        assertThat(successResultOf(fromValue)).isNull();
        assertThat(successResultOf(fromFailure)).isNull();
    }

    @Test
    @DisplayName("a void step added before firing runs in order with the others")
    void voidStepsRunInOrder() {
        List<String> seen = new ArrayList<>();
        Deferred<String> d = new Deferred<>();
        Deferred<Integer> after = d.addVoidCallback(s -> seen.add("void " + s)).addCallback(nothing -> {
            seen.add("next got " + nothing);
            return 1;
        });
        d.callback("a");
        assertThat(seen).containsExactly("void a", "next got null");
        assertThat(successResultOf(after)).isEqualTo(1);
    }

    @Test
    @DisplayName("extending an earlier reference after retyping fails on the chain with ClassCastException")
    void earlierReferenceAfterRetypingIsTheDocumentedMistake() {
        Deferred<String> text = new Deferred<>();
        Deferred<Integer> length = text.addCallback(String::length);
        Deferred<String> mistake = text.addCallback(String::trim);
        text.callback("abc");
        assertThat(failureResultOf(mistake).check(ClassCastException.class)).isEqualTo(ClassCastException.class);
        assertThat(length).isSameAs(text);
    }

    @Test
    @DisplayName("null steps are refused at once")
    void nullStepsRefused() {
        Deferred<String> d = new Deferred<>();
        assertThatThrownBy(() -> d.addVoidCallback(null)).isInstanceOf(NullPointerException.class).hasMessage("callback");
        assertThatThrownBy(() -> d.addVoidErrback(null)).isInstanceOf(NullPointerException.class).hasMessage("errback");
        assertThatThrownBy(() -> d.addVoidCallbacks(s -> { }, null)).isInstanceOf(NullPointerException.class).hasMessage("errback");
        assertThatThrownBy(() -> d.addVoidBoth(null)).isInstanceOf(NullPointerException.class).hasMessage("both");
    }
}
