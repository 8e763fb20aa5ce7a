package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Several problems ended one test and at least one of them is an error rather than a failed
 * assertion (a timeout, a dirty reactor, logged errors, an exception). Each is attached as a
 * suppressed exception with its own type and trace, and the message lists them in the order they
 * happened. When every problem is a failed assertion the engine reports JUnit's {@code
 * MultipleFailuresError} instead, so a runner counts the test as a failure exactly when trial would.
 */
@API(status = STABLE, since = "0.1")
public final class MultipleErrors extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> errors;

    /** {@code errors} in the order they happened; at least two. */
    public MultipleErrors(List<Throwable> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
        this.errors.forEach(this::addSuppressed);
    }

    /** The problems, in the order they happened. */
    public List<Throwable> errors() {
        return errors;
    }

    private static String describe(List<Throwable> errors) {
        StringBuilder text = new StringBuilder().append(errors.size()).append(" problems:");
        for (Throwable error : errors) {
            String message = error.getMessage();
            text.append("\n\t").append(error.getClass().getName());
            if (message != null && !message.isBlank()) {
                text.append(": ").append(message.replace("\n", "\n\t  "));
            }
        }
        return text.toString();
    }
}
