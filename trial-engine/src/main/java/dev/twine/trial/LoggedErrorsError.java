package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Failure;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Errors were logged during the test and not flushed with {@link TrialContext#flushLoggedErrors}:
 * Deferred failures nobody handled, exceptions the reactor caught from protocol code (trial fails
 * the test for each). Each logged error is attached as a suppressed exception, with its trace.
 *
 * <p>It is an error, not a failure, as trial counts it.
 */
@API(status = STABLE, since = "0.1")
public final class LoggedErrorsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The errors, each with the line it was logged with. */
    public LoggedErrorsError(List<String> whys, List<Failure> failures) {
        super(describe(whys, failures));
        for (Failure failure : failures) {
            addSuppressed(failure.value());
        }
    }

    private static String describe(List<String> whys, List<Failure> failures) {
        StringBuilder text = new StringBuilder(failures.size() == 1 ? "An error was" : failures.size() + " errors were");
        text.append(" logged during the test and not flushed (TrialContext.flushLoggedErrors):");
        for (int i = 0; i < failures.size(); i++) {
            text.append(System.lineSeparator()).append("  ");
            String why = whys.get(i);
            if (why != null) {
                text.append(why).append(' ');
            }
            text.append(failures.get(i).value());
        }
        return text.toString();
    }
}
