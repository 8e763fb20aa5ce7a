package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The configuration parameters of the {@code twine-trial} engine, read once per run from JUnit's
 * configuration parameters ({@code src/test/resources/junit-platform.properties}, {@code -D} system
 * properties, Surefire's {@code configurationParameters}, the Console Launcher's {@code --config}).
 */
@API(status = STABLE, since = "0.1")
public final class TrialKeys {
    private TrialKeys() {
    }

    /** The engine's id, for {@code --include-engine} and unique ids. */
    public static final String ENGINE_ID = "twine-trial";

    /**
     * The {@link dev.twine.reactor.ReactorProvider} each test class gets its reactor from: its name
     * ({@code nio}) or class name. Default: the only provider on the class path.
     */
    public static final String REACTOR_PROVIDER = dev.twine.reactor.ReactorProvider.PROVIDER_KEY;

    /** The default {@link Timeout} of each phase of a test, in seconds (decimals allowed). Default: 120. */
    public static final String TIMEOUT = "twine.trial.timeout";

    /**
     * Runs the tests in a random order: the seed, or {@code 0} to pick one from the clock (trial's
     * {@code --random}). The seed is printed so the order can be repeated. Default: alphabetical.
     */
    public static final String RANDOM = "twine.trial.random";

    /**
     * Runs each test up to this many times, stopping at its first failure (trial's {@code
     * --until-failure}, bounded so that a build ends). Default: once.
     */
    public static final String UNTIL_FAILURE = "twine.trial.untilFailure";

    /**
     * Every test that takes a seeded parameter (reactor-sim's {@code Simulation}) runs this many
     * seeds instead of what its {@code @Simulated} says: fewer in a quick build, more in a long
     * one. Default: what each test says.
     */
    public static final String SIM_RUNS = "twine.sim.runs";

    /**
     * Every test that takes a seeded parameter runs this one seed only: how a failure found by a
     * seed loop is replayed (its message prints the seed). Default: the seeds each test says.
     */
    public static final String SIM_SEED = "twine.sim.seed";

    /** How many test classes run at once, each on its own reactor. Default: 1. */
    public static final String PARALLEL = "twine.trial.parallel";

    /**
     * {@code true} reports what the janitor cleans up as report entries (warnings) instead of
     * failing the test (trial's {@code --unclean-warnings}). Default: false.
     */
    public static final String UNCLEAN_WARNINGS = "twine.trial.uncleanWarnings";

    /**
     * {@code true} collects garbage after each test, before the janitor's check (trial's {@code
     * --force-gc}), so that what a test's dead objects report when collected (an unhandled Deferred
     * failure, a resource's cleaner) is charged to that test. Slower. Default: false.
     */
    public static final String FORCE_GC = "twine.trial.forceGc";

    /**
     * {@code tree} turns on trial's tree reporter ({@link dev.twine.trial.reporter.TreeReporter}) in a run
     * launched by anything that loads the JUnit Platform's registered listeners (the Console Launcher,
     * Surefire, an IDE): the tests as a tree with {@code [OK]}, {@code [FAIL]}, {@code [ERROR]}, ..., the
     * details of each problem and trial's summary line, on standard output. Default: off, so that
     * the engine on a class path prints nothing of its own.
     */
    public static final String REPORTER = "twine.trial.reporter";

    /**
     * A regular expression of thread names the janitor does not count as left running by a test
     * (added to its own list of JVM, test-framework and long-lived Twine threads).
     */
    public static final String IGNORED_THREADS = "twine.trial.janitor.ignoredThreads";

    /**
     * Runs one share of the test classes, {@code i/n} counted from 1 ({@code 2/4}: the second of
     * four), so that a suite can be split across CI machines: every shard runs the same command with
     * its own {@code i}, and together the shards run each class exactly once. Classes are dealt by a
     * stable hash of their name (64-bit FNV-1a of its UTF-8 bytes, modulo {@code n}), or balanced by
     * {@link #SHARD_TIMINGS} when given. Default: every class.
     */
    public static final String SHARD = "twine.trial.shard";

    /**
     * A timings file that balances the shards: the longest class first goes to the shard with the
     * least time so far; a class not in the file counts as the mean. Plain text, one line per
     * class, {@code <seconds> <class name>}, {@code #} comments; written by {@link #SHARD_RECORD}.
     * Every shard must be given the same file (it decides who runs what): a missing or malformed
     * file fails discovery rather than silently falling back to the hash.
     */
    public static final String SHARD_TIMINGS = "twine.trial.shard.timings";

    /**
     * Records, after the run, how long each test class took into this file, in the format {@link
     * #SHARD_TIMINGS} reads (the files of all shards concatenated make one). Default: not written.
     */
    public static final String SHARD_RECORD = "twine.trial.shard.record";
}
