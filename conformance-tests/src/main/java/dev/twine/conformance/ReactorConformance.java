package dev.twine.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * Runs the whole conformance suite: put it on one class in your test sources, named so that
 * Surefire runs it ({@code MyReactorConformanceTest}), and {@code mvn test} checks your reactor
 * against every rule and writes the report.
 *
 * <pre>{@code
 * @ReactorConformance
 * @ConfigurationParameter(key = "twine.reactor.provider", value = "my-reactor")   // only if several are registered
 * class MyReactorConformanceTest {
 * }
 * }</pre>
 *
 * <p>The reactor is the one your {@code ReactorProvider} creates: register it in {@code
 * META-INF/services/dev.twine.reactor.ReactorProvider} (main or test resources), or name its class
 * in {@code twine.reactor.provider}.
 */
@API(status = STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Suite
@SuiteDisplayName("Twine reactor conformance")
@IncludeEngines("twine-trial")
@SelectPackages("dev.twine.conformance.rules")
@IncludeClassNamePatterns(".*Rules")
public @interface ReactorConformance {
}
