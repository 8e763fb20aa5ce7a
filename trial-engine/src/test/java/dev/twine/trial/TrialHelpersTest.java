package dev.twine.trial;

import static dev.twine.trial.Trial.assertFailure;
import static dev.twine.trial.Trial.assertNoResult;
import static dev.twine.trial.Trial.failureResultOf;
import static dev.twine.trial.Trial.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.trial.assertj.TrialAssertions;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Trial's helpers, with trial's messages (TRIAL-09, TRIAL-10). */
class TrialHelpersTest {

    @Test
    void successResultOfConsumesTheValue() {
        Deferred<String> d = Deferred.succeed("poem");
        assertThat(successResultOf(d)).isEqualTo("poem");
        assertThat(successResultOf(d)).as("consumed").isNull();
        assertThatThrownBy(() -> successResultOf(new Deferred<>()))
                .hasMessageMatching("Success result expected on <Deferred@[0-9a-f]+>, found no result instead");
        assertThatThrownBy(() -> successResultOf(Deferred.fail(new IOException("boom"))))
                .hasMessageContaining("found failure result instead:\njava.io.IOException: boom");
    }

    @Test
    void failureResultOfChecksTheType() {
        Failure failure = failureResultOf(Deferred.fail(new FileNotFoundException("x")), IOException.class);
        assertThat(failure.value()).isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> failureResultOf(Deferred.fail(new IllegalStateException("y")), IOException.class))
                .hasMessageStartingWith("Failure of type (java.io.IOException) expected on")
                .hasMessageContaining("found type java.lang.IllegalStateException instead");
        assertThatThrownBy(() -> failureResultOf(Deferred.succeed(1)))
                .hasMessageContaining("found success result (1) instead");
    }

    @Test
    void assertNoResultLeavesThePendingDeferredAlone() {
        Deferred<String> pending = new Deferred<>();
        assertNoResult(pending);
        pending.callback("later");
        assertThat(successResultOf(pending)).isEqualTo("later");
        assertThatThrownBy(() -> assertNoResult(Deferred.succeed("now"))).hasMessageEndingWith("found now instead");
    }

    @Test
    void assertFailureIsForAsynchronousTests() {
        IOException error = new IOException("refused");
        assertThat(successResultOf(assertFailure(Deferred.fail(error), IOException.class))).isSameAs(error);
        assertThat(failureResultOf(assertFailure(Deferred.succeed("poem"), IOException.class)).getErrorMessage())
                .isEqualTo("did not catch an error, instead got poem");
        assertThat(failureResultOf(assertFailure(Deferred.fail(new IllegalStateException("other")), IOException.class))
                .getErrorMessage()).startsWith("\nExpected: (java.io.IOException)\nGot:\n[Failure instance: java.lang.IllegalStateException: other]");
    }

    @Test
    void assertjAssertions() {
        TrialAssertions.assertThat(Deferred.succeed("poem")).succeeded().isEqualTo("poem");
        TrialAssertions.assertThat(Deferred.succeed("poem")).succeededWith("poem");
        TrialAssertions.assertThat(Deferred.fail(new IOException("no"))).failedWith(IOException.class).hasMessage("no");
        TrialAssertions.assertThat(new Deferred<String>()).hasNoResult();
        assertThatThrownBy(() -> TrialAssertions.assertThat(Deferred.succeed(1)).failed()).isInstanceOf(AssertionError.class);
    }
}
