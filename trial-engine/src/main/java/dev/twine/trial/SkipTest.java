package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;
import org.opentest4j.TestAbortedException;

/** Thrown from a test, set-up or tear-down to skip the test with a reason (trial's {@code SkipTest}). */
@API(status = STABLE, since = "0.1")
public class SkipTest extends TestAbortedException {
    /** Skips with {@code reason}. */
    public SkipTest(String reason) {
        super(reason);
    }
}
