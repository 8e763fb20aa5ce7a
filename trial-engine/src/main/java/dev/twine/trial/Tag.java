package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Tags a test or a class, for the JUnit Platform's tag filters ({@code -Dgroups=slow} with
 * Surefire, {@code --include-tag} with the Console Launcher). A class's tags apply to its tests.
 */
@API(status = STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(Tags.class)
public @interface Tag {
    /** The tag: no whitespace, commas, parentheses, {@code &}, {@code |} or {@code !}. */
    String value();
}
