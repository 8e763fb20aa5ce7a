package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Runs after each test (whether it passed or not) and after its cleanups, on the reactor thread,
 * like trial's {@code tearDown}; may return a Deferred or CompletionStage, which is waited for. A
 * subclass's tear-down runs before a superclass's. A failing tear-down is reported on the test,
 * next to the test's own failure if it had one. Parameters as for {@link TrialTest}.
 */
@API(status = STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TearDown {
}
