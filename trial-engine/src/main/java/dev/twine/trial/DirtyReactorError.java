package dev.twine.trial;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The test left the reactor dirty (trial's {@code DirtyReactorAggregateError}): delayed calls still
 * pending, ports or connections still open, or threads it started still running. The message lists
 * each leftover; the janitor has cleaned them up, so the next test starts clean.
 *
 * <p>It is an error, not a failure: Surefire and IDEs count it as trial does.
 */
@API(status = STABLE, since = "0.1")
public class DirtyReactorError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The leftovers, one description each, under their kind. */
    public DirtyReactorError(List<String> delayedCalls, List<String> descriptors, List<String> threads) {
        super(describe(delayedCalls, descriptors, threads));
    }

    /**
     * What a simulated network's hosts still held after the test, one line each (reactor-sim's
     * hosts have no real descriptors to close: the simulation is simply dropped).
     */
    public DirtyReactorError(List<String> simulatedLeftovers) {
        super(section(new StringBuilder("Simulated hosts were unclean after the test:"), "", simulatedLeftovers).toString()
                .replace(System.lineSeparator() + System.lineSeparator(), System.lineSeparator()));
    }

    private static String describe(List<String> delayedCalls, List<String> descriptors, List<String> threads) {
        StringBuilder text = new StringBuilder("Reactor was unclean; the janitor cleaned up after the test.");
        section(text, "Delayed calls still pending (cancelled):", delayedCalls);
        section(text, "Ports and connections still open (closed):", descriptors);
        section(text, "Threads the test started, still running:", threads);
        return text.toString();
    }

    private static StringBuilder section(StringBuilder text, String title, List<String> items) {
        if (!items.isEmpty()) {
            if (!title.isEmpty()) {
                text.append(System.lineSeparator()).append(title);
            }
            for (String item : items) {
                text.append(System.lineSeparator()).append("  ").append(item);
            }
        }
        return text;
    }
}
