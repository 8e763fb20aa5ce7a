package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.platform.commons.annotation.Testable;

/**
 * Marks a trial test: a method the {@code twine-trial} engine runs on the test class's reactor
 * thread. It may return {@code void}, a {@link dev.twine.defer.Deferred} or a {@link
 * java.util.concurrent.CompletionStage}; a returned Deferred or stage is waited for (within the
 * {@link Timeout}) and the test passes when it succeeds. Parameters are supplied: a {@link
 * dev.twine.reactor.Reactor} (or one of its capability interfaces, such as {@code ReactorUDP}: the
 * test is skipped when the reactor does not have it) and a {@link TrialContext}.
 *
 * <p>The method must not be private or static; the class needs a no-argument constructor and a
 * fresh instance runs each test. A declaration that breaks these rules is reported as a discovery
 * error, never silently skipped.
 */
@API(status = STABLE, since = "0.1")
@Documented
@Testable
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TrialTest {
}
