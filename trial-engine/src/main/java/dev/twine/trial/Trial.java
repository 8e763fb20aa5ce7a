package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Trial's helpers for Deferreds, as static methods ({@code import static dev.twine.trial.Trial.*}).
 * The synchronous ones look at a Deferred now and, like trial's, consume its result: it is left
 * holding {@code null}, so a Failure they return is not reported as unhandled.
 */
@API(status = STABLE, since = "0.1")
public final class Trial {
    private Trial() {
    }

    /**
     * The value {@code deferred} has already fired with.
     *
     * @throws AssertionError if it has no result yet, or failed (the message carries the trace)
     */
    public static <T> T successResultOf(Deferred<T> deferred) {
        Object[] seen = look(deferred);
        if (seen == null) {
            throw new AssertionError("Success result expected on " + deferred + ", found no result instead");
        }
        if (seen[1] != null) {
            throw new AssertionError("Success result expected on " + deferred + ", found failure result instead:\n"
                    + ((Failure) seen[1]).getTraceback());
        }
        @SuppressWarnings("unchecked")
        T value = (T) seen[0];
        return value;
    }

    /**
     * The Failure {@code deferred} has already failed with, which must be of one of {@code types}
     * when any are given.
     *
     * @throws AssertionError if it has no result, succeeded, or failed with another type
     */
    @SafeVarargs
    public static Failure failureResultOf(Deferred<?> deferred, Class<? extends Throwable>... types) {
        Object[] seen = look(deferred);
        if (seen == null) {
            throw new AssertionError("Failure result expected on " + deferred + ", found no result instead");
        }
        if (seen[1] == null) {
            throw new AssertionError("Failure result expected on " + deferred + ", found success result (" + seen[0] + ") instead");
        }
        Failure failure = (Failure) seen[1];
        if (types.length > 0 && failure.check(types) == null) {
            throw new AssertionError("Failure of type (" + names(types) + ") expected on " + deferred + ", found type "
                    + failure.type().getName() + " instead:\n" + failure.getTraceback());
        }
        return failure;
    }

    /**
     * Passes if {@code deferred} has not fired yet (or is paused or waiting).
     *
     * @throws AssertionError if it has a result (which stays in place)
     */
    public static void assertNoResult(Deferred<?> deferred) {
        Object[] seen = new Object[3];
        deferred.addBoth((value, failure) -> {
            seen[0] = value;
            seen[1] = failure;
            seen[2] = Boolean.TRUE;
            if (failure != null) {
                throw failure.raiseException();
            }
            return value;
        });
        if (seen[2] != null) {
            if (seen[1] != null) {
                deferred.addVoidErrback(f -> { }); // reported by the assertion, not again as unhandled
            }
            throw new AssertionError("No result expected on " + deferred + ", found " + (seen[1] != null ? seen[1] : seen[0]) + " instead");
        }
    }

    /**
     * For asynchronous tests: a Deferred that succeeds with the exception when {@code deferred} fails
     * with one of {@code types}, and fails with an AssertionError when it succeeds or fails with
     * another type (trial's {@code assertFailure}). Return it from the test.
     */
    @SafeVarargs
    public static <E extends Throwable> Deferred<E> assertFailure(Deferred<?> deferred, Class<? extends E>... types) {
        return deferred.addCallbacks(value -> {
            throw new AssertionError("did not catch an error, instead got " + value);
        }, failure -> {
            if (types.length > 0 && failure.check(types) == null) {
                throw new AssertionError("\nExpected: (" + names(types) + ")\nGot:\n" + failure);
            }
            @SuppressWarnings("unchecked")
            E error = (E) failure.value();
            return error;
        });
    }

    /** Looks at the result now: null if none, else {value, failure}; consumes it. */
    private static Object[] look(Deferred<?> deferred) {
        Object[] seen = new Object[3];
        deferred.addVoidBoth((value, failure) -> {
            seen[0] = value;
            seen[1] = failure;
            seen[2] = Boolean.TRUE;
        });
        return seen[2] == null ? null : seen;
    }

    private static String names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getName).collect(Collectors.joining(", "));
    }
}
