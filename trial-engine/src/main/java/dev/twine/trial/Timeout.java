package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * How long each phase of a test (set-up, test, each cleanup, tear-down) may take, on a method or a
 * class (the method's wins; subclasses inherit a class's, as they inherit trial's class attributes). Unset, it is the {@code twine.trial.timeout} configuration parameter,
 * whose default is trial's 120 seconds. On timeout the Deferred the phase waits for is cancelled
 * and the test fails with a {@link TrialTimeoutError} naming it and what it was waiting for.
 */
@API(status = STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {
    /** The amount of time. */
    long value();

    /** Its unit (seconds unless set). */
    TimeUnit unit() default TimeUnit.SECONDS;
}
