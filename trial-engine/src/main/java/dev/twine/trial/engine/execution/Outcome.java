package dev.twine.trial.engine.execution;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.MultipleErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;

/**
 * Internal. How one run of a test ended: the errors of each phase in order, or the reason it was skipped
 * from inside. Thrown by the descriptor so that the platform reports it. Filled on the reactor
 * thread by the test's {@link PhaseSequence}, then read on the engine thread once the sequence's
 * {@code done} future hands it over (the watchdog makes its own when the test blocked the thread).
 */
@API(status = INTERNAL, since = "0.1")
public final class Outcome {
    private final List<Throwable> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> entries = new LinkedHashMap<>();
    private Map<String, String> printed = Map.of();
    private TestAbortedException aborted;

    void error(Throwable error) {
        errors.add(error);
    }

    /** Something to report without failing the test (the janitor's findings with unclean warnings on). */
    void warn(String warning) {
        warnings.add(warning);
    }

    public List<String> warnings() {
        return warnings;
    }

    /** A report entry the test published. */
    void publish(String key, String value) {
        entries.put(key, value);
    }

    /** The report entries the test published, in order. */
    public Map<String, String> entries() {
        return entries;
    }

    /** What the test printed, captured: {@code stdout} and {@code stderr}, each when not blank. */
    void printed(Map<String, String> output) {
        printed = output;
    }

    /**
     * What the test printed, to report as one entry with JUnit's keys {@code stdout} and {@code
     * stderr}; empty when output is not captured, the test printed nothing, or the launcher reports it.
     */
    public Map<String, String> printed() {
        return printed;
    }

    void abort(TestAbortedException reason) {
        if (aborted == null) {
            aborted = reason;
        }
    }

    public boolean failed() {
        return !errors.isEmpty();
    }

    boolean aborted() {
        return aborted != null && errors.isEmpty();
    }

    List<Throwable> errors() {
        return errors;
    }

    /**
     * The one throwable standing for every error: itself when there is one; when there are several,
     * a MultipleFailuresError if every one is a failed assertion (a failure), else a {@link
     * MultipleErrors} (an error), each problem attached with its own type.
     */
    Throwable failure() {
        if (errors.size() == 1) {
            return errors.get(0);
        }
        if (errors.stream().allMatch(e -> e instanceof AssertionError)) {
            return new MultipleFailuresError(null, errors);
        }
        return new MultipleErrors(errors);
    }

    /** Throws what the platform should report; returns normally for a success. */
    public void report() throws Throwable {
        if (!errors.isEmpty()) {
            throw failure();
        }
        if (aborted != null) {
            throw aborted;
        }
    }
}
