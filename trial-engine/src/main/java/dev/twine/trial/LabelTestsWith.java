package dev.twine.trial;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The {@link TestLabeler} that names the tests of this class and its subclasses and words their
 * failures. The label is also the name Surefire and Gradle give the test case, and the tests run in
 * the alphabetical order of their labels. A labeler that cannot be created is reported at
 * discovery, and the class's tests fail with the reason.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Target(ElementType.TYPE)
public @interface LabelTestsWith {
    /** The labeler's class; it needs a public no-argument constructor. */
    Class<? extends TestLabeler> value();
}
