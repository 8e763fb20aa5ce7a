package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Every Deferred given to {@link DeferredList#firstOf} failed. Twisted fires the list of {@code
 * (false, failure)} pairs on the callback side instead; a typed result cannot be both, so Twine
 * fails, and keeps the pairs here so that nothing is lost.
 */
@API(status = STABLE, since = "0.1")
public final class AllFailedException extends RuntimeException {
    private final transient List<Outcome<?>> outcomes;

    /** Every one of {@code outcomes} failed. */
    public AllFailedException(List<Outcome<?>> outcomes) {
        super("all " + outcomes.size() + " Deferreds failed; the first: "
                + (outcomes.isEmpty() ? "none" : outcomes.get(0).failure()));
        this.outcomes = List.copyOf(outcomes);
        for (Outcome<?> outcome : outcomes) {
            addSuppressed(outcome.failure().value());
        }
    }

    /** How each Deferred ended, in the order given. */
    public List<Outcome<?>> outcomes() {
        return outcomes;
    }
}
