package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;
import org.opentest4j.TestAbortedException;

/**
 * How a {@link Todo} test that failed as expected is reported: aborted (Surefire and IDEs show it as
 * skipped), with the reason and, as the cause, the failure.
 */
@API(status = STABLE, since = "0.1")
public class ExpectedFailure extends TestAbortedException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** The test failed with {@code failure}, as its todo {@code reason} expects. */
    public ExpectedFailure(String reason, Throwable failure) {
        super("TODO: " + reason + " (failed as expected: " + failure + ")", failure);
        this.reason = reason;
    }

    /** The reason of the {@link Todo}: why the test is expected to fail. */
    public String reason() {
        return reason;
    }
}
