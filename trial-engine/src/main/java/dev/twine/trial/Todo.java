package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks a test expected to fail, not yet fixed (trial's {@code todo}). If it fails (with one of
 * {@link #expecting()}, when given), it is reported as aborted with an {@link ExpectedFailure}
 * giving the reason and the failure, and does not fail the build. If it passes, it fails with
 * "unexpected success": the mark is stale and should go.
 */
@API(status = STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Todo {
    /** Why it is expected to fail. */
    String value();

    /** The failures that count as expected; empty means any. */
    Class<? extends Throwable>[] expecting() default {};
}
