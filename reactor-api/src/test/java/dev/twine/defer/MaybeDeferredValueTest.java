package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code Deferred.maybeDeferred(type, work)}: Twisted's maybeDeferred for a step that returns a
 * Deferred or a plain value, as the tutorial's proxy 1.0 does (a cached poem at once, else a
 * download).
 */
class MaybeDeferredValueTest {

    private static Object poem(boolean cached, Deferred<String> download) {
        return cached ? "a cached poem" : download;
    }

    @Test
    void aPlainValueGivesAFiredDeferred() {
        Deferred<String> d = Deferred.maybeDeferred(String.class, () -> poem(true, null));
        assertThat(successResultOf(d)).isEqualTo("a cached poem");
    }

    @Test
    void aDeferredIsReturnedAsIs() {
        Deferred<String> download = new Deferred<>();
        Deferred<String> d = Deferred.maybeDeferred(String.class, () -> poem(false, download));
        assertThat(d).isSameAs(download);
        download.callback("a downloaded poem");
        assertThat(successResultOf(d)).isEqualTo("a downloaded poem");
    }

    @Test
    void nullIsAPlainValue() {
        Deferred<String> d = Deferred.maybeDeferred(String.class, () -> null);
        assertThat(successResultOf(d)).isNull();
    }

    @Test
    void anExceptionGivesAFailedDeferred() {
        Deferred<String> d = Deferred.maybeDeferred(String.class, () -> {
            throw new IllegalStateException("no poem");
        });
        assertThat(failureResultOf(d).value()).isInstanceOf(IllegalStateException.class).hasMessage("no poem");
    }

    @Test
    void aFailureGivesAFailedDeferred() {
        Failure failure = new Failure(new IllegalStateException("failed"));
        Deferred<String> d = Deferred.maybeDeferred(String.class, () -> failure);
        assertThat(failureResultOf(d)).isSameAs(failure);
    }

    @Test
    void aValueOfAnotherTypeFailsWithClassCastException() {
        Deferred<String> d = Deferred.maybeDeferred(String.class, () -> 42);
        assertThat(failureResultOf(d).value()).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("java.lang.Integer").hasMessageContaining("java.lang.String");
    }

    @Test
    void succeedAndMaybeDeferredGiveTheSameChain() {
        // The chapter's comparison: a step made to always return a Deferred (succeed), or left as is
        // and wrapped by maybeDeferred, gives the caller the same result.
        Deferred<String> viaSucceed = Deferred.maybeDeferred(() -> Deferred.succeed("poem"));
        Deferred<String> viaMaybe = Deferred.maybeDeferred(String.class, () -> "poem");
        assertThat(successResultOf(viaSucceed)).isEqualTo(successResultOf(viaMaybe));
    }
}
