package dev.twine.trial;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link TestLabeler} that names the tests of this class and its subclasses and words their
 * failures. A labeler that cannot be created is a discovery error naming the class.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Target(ElementType.TYPE)
public @interface LabelTestsWith {
    /** The labeler's class; it needs a public no-argument constructor. */
    Class<? extends TestLabeler> value();
}
