package dev.twine.conformance;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.reactor.Capability;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * One rule of the catalogue, on the trial test that checks it: its id ({@code TCP-12}), the
 * capability it belongs to, and one sentence saying what a reactor must do. A rule of an optional
 * capability the provider does not declare is skipped ("capability not declared").
 */
@API(status = INTERNAL, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Rule {
    /** The rule's id: a prefix naming its area and a number, {@code CORE-01}, {@code TCP-12}. */
    String id();

    /** The capability the rule checks; rules of an undeclared optional capability are skipped. */
    Capability capability();

    /** What a reactor must do, in one sentence. */
    String value();

    /**
     * Other capabilities the rule needs to check its own (a core rule that opens TCP connections
     * uses {@code TCP}): where one of them is not applicable ({@code twine.conformance.notApplicable}),
     * neither is the rule.
     */
    Capability[] uses() default {};
}
