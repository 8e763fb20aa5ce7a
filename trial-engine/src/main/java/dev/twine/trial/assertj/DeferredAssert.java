package dev.twine.trial.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.trial.Trial;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ObjectAssert;

/**
 * AssertJ assertions on a {@link Deferred}, as it stands now. Like trial's helpers, the ones that
 * look at a result consume it.
 *
 * @param <T> the Deferred's value type
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class DeferredAssert<T> extends AbstractAssert<DeferredAssert<T>, Deferred<T>> {

    DeferredAssert(Deferred<T> actual) {
        super(actual, DeferredAssert.class);
    }

    /** Asserts it has not fired (or is paused or waiting). */
    public DeferredAssert<T> hasNoResult() {
        isNotNull();
        Trial.assertNoResult(actual);
        return this;
    }

    /** Asserts it has succeeded, and continues with assertions on the value. */
    public ObjectAssert<T> succeeded() {
        isNotNull();
        return Assertions.assertThat(Trial.successResultOf(actual));
    }

    /** Asserts it has succeeded with {@code expected}. */
    public DeferredAssert<T> succeededWith(T expected) {
        isNotNull();
        Assertions.assertThat(Trial.successResultOf(actual)).isEqualTo(expected);
        return this;
    }

    /** Asserts it has failed, and continues with assertions on the exception. */
    public AbstractThrowableAssert<?, ? extends Throwable> failed() {
        isNotNull();
        Failure failure = Trial.failureResultOf(actual);
        return Assertions.assertThat(failure.value());
    }

    /** Asserts it has failed with an exception of {@code type}, and continues with assertions on it. */
    public AbstractThrowableAssert<?, ? extends Throwable> failedWith(Class<? extends Throwable> type) {
        isNotNull();
        Failure failure = Trial.failureResultOf(actual, type);
        return Assertions.assertThat(failure.value());
    }
}
