package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * How a trial test that declares a {@link Simulation} parameter is run: once per seed, {@link
 * #runs()} seeds from {@link #firstSeed()}, each with a fresh simulation built from the seed and
 * {@link #faults()}. Each seed is reported as a pass of the test; the first failing seed stops the
 * test, and its failure names the seed. On a method, or on a class for all its tests (the method's
 * wins). A test with a {@code Simulation} parameter and no annotation runs 100 seeds from 1.
 *
 * <p>The configuration parameters {@code twine.sim.runs=N} (every simulated test runs N seeds
 * instead) and {@code twine.sim.seed=S} (every simulated test runs seed S only, to replay a
 * failure) override it, as does selecting one pass by its unique id ({@code …/[seed:S]}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Simulated {
    /** How many seeds. */
    int runs() default 100;

    /** The first seed; the others follow it. */
    long firstSeed() default 1;

    /**
     * Faults every run gets, as {@link FaultPlan#parse} reads them ({@code ""}: none). For faults
     * chosen by the seed, build them in the test with {@link FaultPlan#random}.
     */
    String faults() default "";
}
