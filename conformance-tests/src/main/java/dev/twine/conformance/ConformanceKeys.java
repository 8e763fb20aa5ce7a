package dev.twine.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The conformance suite's configuration keys: JUnit configuration parameters (a suite's {@code
 * @ConfigurationParameter}, {@code junit-platform.properties}, {@code -D}) or, for the command
 * line, its options.
 */
@API(status = STABLE, since = "0.1")
public final class ConformanceKeys {
    private ConformanceKeys() {
    }

    /**
     * The provider of the reactor under test: a provider's name or class name. Default: the
     * provider the trial engine runs the rules on ({@code twine.reactor.provider}, or the only one
     * registered). Set it apart from {@code twine.reactor.provider} to run the rules themselves on a
     * trusted reactor while checking another.
     */
    public static final String PROVIDER = "twine.conformance.provider";

    /** Where the JSON and HTML reports go. Default: {@code twine-conformance} under the run's output directory ({@code target/}). */
    public static final String REPORT_DIR = "twine.conformance.reportDir";

    /** {@code false} stops the line printed as each rule finishes. Default: {@code true}. */
    public static final String PROGRESS = "twine.conformance.progress";

    /**
     * How long one rule may run its reactor, in seconds, before it fails as "did not finish".
     * Default: 10.
     */
    public static final String RULE_LIMIT = "twine.conformance.ruleLimit";

    /**
     * Capabilities whose rules do not apply to the reactor under test, and why: {@code CAP[,CAP…]:
     * reason}, such as {@code TCP,UDP: simulated network} for a reactor whose sockets are simulated.
     * Their rules (and those of other capabilities that also {@linkplain Rule#uses() use} them) are
     * skipped as "not applicable: reason", even a required capability's. Default: none.
     */
    public static final String NOT_APPLICABLE = "twine.conformance.notApplicable";

    /**
     * The report entry each rule publishes: the provider under test and what it declares, {@code
     * name (class): CORE TIME THREADS TCP …}.
     */
    public static final String REACTOR_ENTRY = "twine.conformance.reactor";

    /**
     * The report entry a rule skipped for an undeclared capability publishes when the reactor
     * implements that capability's interface all the same: the report lists it as a note.
     */
    public static final String NOTE_ENTRY = "twine.conformance.note";
}
