package dev.twine.conformance.broken;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a broken reactor's provider: the rules that must catch its fault, and what their failure must
 * say. {@code StrengthTest} finds every provider so annotated (in {@code dev.twine.conformance.broken}
 * and, for faults injected inside the built-in reactor, {@code dev.twine.reactor.nio}), runs the
 * named rules against it, and counts it caught only when each named rule fails with a reason that
 * {@link #reason} finds. A rule that merely ran out of time does not count, unless {@link #hang}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CaughtBy {
    /** The ids of the rules that must fail ({@code "TCP-31"}). */
    String[] value();

    /** A regular expression (case-insensitive, found anywhere) that each named rule's reason must match: the fault, in the rule's words. */
    String reason();

    /** Whether the fault is a hang, so that "did not finish" is the right way to catch it. */
    boolean hang() default false;
}
