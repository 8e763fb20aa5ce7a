package dev.twine.trial.engine.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.TrialKeys;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apiguardian.api.API;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * Internal. The engine's configuration, read once per run from the configuration parameters (keys in {@link
 * TrialKeys}). A value that cannot be used is reported as a problem and its default used instead.
 *
 * @param provider the reactor provider to select, or null for the only one
 * @param timeout the default timeout of each phase of a test
 * @param randomSeed the seed to shuffle with, or null to run in alphabetical order
 * @param untilFailure how many times each test may run (1: once)
 * @param parallel how many classes run at once
 * @param uncleanWarnings whether leftovers are warnings rather than failures
 * @param forceGc whether garbage is collected after each test
 * @param ignoredThreads names of threads the janitor does not count
 * @param problems what was wrong with the values given
 * @param parameters all the run's configuration parameters, for tests that read their own keys
 * @param captureStdout whether what a test prints to System.out is reported on it (JUnit's {@value #CAPTURE_STDOUT})
 * @param captureStderr whether what a test prints to System.err is reported on it (JUnit's {@value #CAPTURE_STDERR})
 * @param captureMaxBuffer the most bytes of each stream kept for one test (JUnit's {@value #CAPTURE_MAX_BUFFER})
 * @param shard the share of the classes to run, or null for all
 * @param shardTimings recorded seconds per class that balance the shards; empty for the hash
 * @param shardRecord where to write each class's time after the run, or null
 */
@API(status = INTERNAL, since = "0.1")
public record TrialConfiguration(String provider, Duration timeout, Long randomSeed, int untilFailure, int parallel,
        boolean uncleanWarnings, boolean forceGc, Pattern ignoredThreads, List<String> problems, ConfigurationParameters parameters,
        boolean captureStdout, boolean captureStderr, int captureMaxBuffer, Shard shard, Map<String, Double> shardTimings,
        Path shardRecord) {

    /** JUnit's key: capture what tests print to System.out and report it on each test as {@code stdout}. */
    public static final String CAPTURE_STDOUT = "junit.platform.output.capture.stdout";
    /** JUnit's key: capture what tests print to System.err and report it on each test as {@code stderr}. */
    public static final String CAPTURE_STDERR = "junit.platform.output.capture.stderr";
    /** JUnit's key: the most bytes captured per test and stream. */
    public static final String CAPTURE_MAX_BUFFER = "junit.platform.output.capture.maxBuffer";
    /** JUnit's default for {@link #CAPTURE_MAX_BUFFER}: 4 MiB. */
    public static final int DEFAULT_CAPTURE_MAX_BUFFER = 4 * 1024 * 1024;

    /** Trial's default timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** Threads that exist for reasons other than a test: the JVM's, test frameworks', long-lived Twine ones. */
    static final String BUILT_IN_IGNORED_THREADS = "twine-unhandled-failure-reporter|twine-fake-clients|twine-trial-.*"
            + "|Reference Handler|Finalizer|Signal Dispatcher|Attach Listener|Common-Cleaner|Notification Thread"
            + "|process reaper.*|DestroyJavaVM|surefire-.*|ForkJoinPool\\.commonPool-worker-.*|HttpClient-.*-SelectorManager"
            + "|.*JFR.*|junit-.*|Java2D Disposer|AWT-.*";

    /** Reads the configuration parameters. */
    public static TrialConfiguration read(ConfigurationParameters parameters) {
        List<String> problems = new ArrayList<>();
        // The system property too, as ReactorProvider.selected() reads it: a launcher that passes only
        // explicit parameters (EngineTestKit, an IDE's) still runs on the reactor the build chose.
        String provider = parameters.get(TrialKeys.REACTOR_PROVIDER)
                .or(() -> Optional.ofNullable(System.getProperty(TrialKeys.REACTOR_PROVIDER)))
                .filter(s -> !s.isBlank()).orElse(null);

        Duration timeout = DEFAULT_TIMEOUT;
        Optional<String> timeoutText = parameters.get(TrialKeys.TIMEOUT);
        if (timeoutText.isPresent()) {
            try {
                BigDecimal seconds = new BigDecimal(timeoutText.get().trim());
                if (seconds.signum() <= 0) {
                    throw new NumberFormatException();
                }
                timeout = Duration.ofNanos(seconds.movePointRight(9).longValueExact());
            } catch (NumberFormatException | ArithmeticException e) {
                problems.add(TrialKeys.TIMEOUT + " must be a positive number of seconds, got '" + timeoutText.get()
                        + "'; using " + DEFAULT_TIMEOUT.toSeconds() + " s");
            }
        }

        Long seed = null;
        Optional<String> seedText = parameters.get(TrialKeys.RANDOM);
        if (seedText.isPresent()) {
            try {
                long value = Long.parseLong(seedText.get().trim());
                seed = value == 0 ? System.currentTimeMillis() : value;
            } catch (NumberFormatException e) {
                problems.add(TrialKeys.RANDOM + " must be a whole number (0: pick one), got '" + seedText.get()
                        + "'; running in alphabetical order");
            }
        }

        int untilFailure = positive(parameters, TrialKeys.UNTIL_FAILURE, 1, problems);
        int parallel = positive(parameters, TrialKeys.PARALLEL, 1, problems);
        boolean uncleanWarnings = bool(parameters, TrialKeys.UNCLEAN_WARNINGS, problems);
        boolean forceGc = bool(parameters, TrialKeys.FORCE_GC, problems);

        String ignored = BUILT_IN_IGNORED_THREADS;
        Optional<String> userIgnored = parameters.get(TrialKeys.IGNORED_THREADS).filter(s -> !s.isBlank());
        if (userIgnored.isPresent()) {
            try {
                Pattern.compile(userIgnored.get());
                ignored = ignored + "|" + userIgnored.get();
            } catch (PatternSyntaxException e) {
                problems.add(TrialKeys.IGNORED_THREADS + " is not a regular expression: " + e.getDescription());
            }
        }
        // JUnit's keys, read as the launcher reads them (anything but "true" is false), so that both agree.
        boolean captureStdout = parameters.get(CAPTURE_STDOUT).map(s -> Boolean.parseBoolean(s.trim())).orElse(false);
        boolean captureStderr = parameters.get(CAPTURE_STDERR).map(s -> Boolean.parseBoolean(s.trim())).orElse(false);
        int captureMaxBuffer = positive(parameters, CAPTURE_MAX_BUFFER, DEFAULT_CAPTURE_MAX_BUFFER, problems);
        Shard shard = null;
        Optional<String> shardText = parameters.get(TrialKeys.SHARD).filter(s -> !s.isBlank());
        if (shardText.isPresent()) {
            try {
                shard = Shard.parse(shardText.get());
            } catch (IllegalArgumentException e) {
                problems.add(TrialKeys.SHARD + ": " + e.getMessage());
            }
        }
        Map<String, Double> shardTimings = Map.of();
        Optional<String> timingsFile = parameters.get(TrialKeys.SHARD_TIMINGS).filter(s -> !s.isBlank());
        if (timingsFile.isPresent()) {
            try {
                shardTimings = Map.copyOf(ClassTimings.read(Path.of(timingsFile.get().trim())));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(TrialKeys.SHARD_TIMINGS + ": cannot read " + timingsFile.get().trim() + " (" + e.getMessage()
                        + "); every shard must be given the same file");
            }
        }
        Path shardRecord = parameters.get(TrialKeys.SHARD_RECORD).filter(s -> !s.isBlank()).map(s -> Path.of(s.trim()))
                .orElse(null);
        return new TrialConfiguration(provider, timeout, seed, untilFailure, parallel, uncleanWarnings, forceGc,
                Pattern.compile(ignored), List.copyOf(problems), parameters, captureStdout, captureStderr, captureMaxBuffer,
                shard, shardTimings, shardRecord);
    }

    /** {@code true} or {@code false} (any case); anything else ({@code yes}, {@code 1}) is a problem, not a silent false. */
    private static boolean bool(ConfigurationParameters parameters, String key, List<String> problems) {
        Optional<String> text = parameters.get(key).map(String::trim);
        if (text.isEmpty() || text.get().equalsIgnoreCase("false")) {
            return false;
        }
        if (text.get().equalsIgnoreCase("true")) {
            return true;
        }
        problems.add(key + " must be true or false, got '" + text.get() + "'; using false");
        return false;
    }

    private static int positive(ConfigurationParameters parameters, String key, int fallback, List<String> problems) {
        Optional<String> text = parameters.get(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number of at least 1, got '" + text.get() + "'; using " + fallback);
            return fallback;
        }
    }
}
