package dev.twine.trial.reporter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.trial.ExpectedFailure;
import dev.twine.trial.UnexpectedSuccess;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;

/**
 * What trial calls the end of one test, in the order trial lists them in its details and its
 * summary line. Each has the tag of the tree ({@code [OK]}, ...) and the name of its count in the
 * summary ({@code successes=7}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Verdict {
    /** Skipped: {@code @Skip}, a thrown {@code SkipTest}, an aborted test, a skipped class. */
    SKIPPED("[SKIPPED]", "skips"),
    /** A {@code @Todo} test that failed as expected ({@link ExpectedFailure}). */
    TODO("[TODO]", "expectedFailures"),
    /** A failed assertion: an {@link AssertionError} of any kind (AssertJ's, JUnit's, opentest4j's). */
    FAIL("[FAIL]", "failures"),
    /**
     * Anything else that ended the test: an exception, a timeout, a dirty reactor, logged errors, a
     * {@code MultipleErrors}, or a class or engine that could not run its tests.
     */
    ERROR("[ERROR]", "errors"),
    /** A {@code @Todo} test whose method passed ({@link UnexpectedSuccess}). */
    UNEXPECTED_SUCCESS("[SUCCESS!?!]", "unexpectedSuccesses"),
    /** Passed. */
    OK("[OK]", "successes");

    private final String tag;
    private final String countName;

    Verdict(String tag, String countName) {
        this.tag = tag;
        this.countName = countName;
    }

    /** As the tree shows it: {@code [OK]}, {@code [FAIL]}, ... */
    public String tag() {
        return tag;
    }

    /** As the summary line counts it: {@code successes}, {@code failures}, ... */
    public String countName() {
        return countName;
    }

    /** Whether a run with a test of this verdict has failed (trial's {@code FAILED}): a failure or an error. */
    public boolean failsTheRun() {
        return this == FAIL || this == ERROR;
    }

    /**
     * The verdict on a test that finished with {@code result}. An unexpected success counts as one
     * only when it is the test's only problem: with another problem (a dirty reactor) the test is
     * that problem's failure or error.
     */
    public static Verdict of(TestExecutionResult result) {
        Throwable thrown = result.getThrowable().orElse(null);
        switch (result.getStatus()) {
            case SUCCESSFUL:
                return OK;
            case ABORTED:
                return thrown instanceof ExpectedFailure ? TODO : SKIPPED;
            default:
                if (thrown instanceof UnexpectedSuccess) {
                    return UNEXPECTED_SUCCESS;
                }
                return thrown instanceof AssertionError ? FAIL : ERROR;
        }
    }
}
