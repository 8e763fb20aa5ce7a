package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * How a {@link Todo} test whose method passed is reported (trial's {@code [SUCCESS!?!]}): a failed
 * assertion, so that the build fails until the stale mark is removed. Its message names the test and
 * the todo's reason, which {@link #reason()} also gives.
 */
@API(status = STABLE, since = "0.1")
public class UnexpectedSuccess extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** {@code test} (as {@code Class.method}) passed although marked {@code @Todo(reason)}. */
    public UnexpectedSuccess(String test, String reason) {
        super("Unexpected success: " + test + " is marked @Todo(\"" + reason + "\") but passed; remove the mark");
        this.reason = reason;
    }

    /** The reason of the {@link Todo} the test passed in spite of. */
    public String reason() {
        return reason;
    }
}
