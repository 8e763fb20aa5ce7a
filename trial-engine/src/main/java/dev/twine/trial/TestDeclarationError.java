package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The engine cannot run this test as it is declared (a private or static test method, a parameter
 * it cannot supply, a return type it cannot wait for, a class without a no-argument constructor, a
 * bad {@code @SetUp}): the test errors with the reason, as trial reports a test it will never run,
 * and the rest of the run goes on. Discovery also reports it as a warning, with its source.
 */
@API(status = STABLE, since = "0.1")
public final class TestDeclarationError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the reason, naming the method or class. */
    public TestDeclarationError(String message) {
        super(message);
    }
}
