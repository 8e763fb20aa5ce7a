package dev.twine.trial;

import org.opentest4j.TestAbortedException;

/** Thrown from a test, set-up or tear-down to skip the test with a reason (trial's {@code SkipTest}). */
public class SkipTest extends TestAbortedException {
    /** Skips with {@code reason}. */
    public SkipTest(String reason) {
        super(reason);
    }
}
