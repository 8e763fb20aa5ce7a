package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Runs before each test, on the reactor thread, like trial's {@code setUp}; may return a Deferred
 * or CompletionStage, which is waited for. A superclass's set-up runs before a subclass's. If a
 * set-up fails, the test and the tear-downs do not run; cleanups added so far do. Parameters as for
 * {@link TrialTest}.
 */
@API(status = STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SetUp {
}
