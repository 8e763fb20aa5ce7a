package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Waiting for several Deferreds at once: Twisted's {@code DeferredList} and {@code gatherResults}.
 *
 * <p>Each method watches the given Deferreds by adding a step to each at once (so a Deferred
 * given here should not be given anything else to do that depends on its result being
 * untouched). Without {@link Option#CONSUME_ERRORS} a member that fails keeps its Failure, and is
 * reported as unhandled if nothing else handles it; with it, the member is left holding {@code
 * null}. Cancelling the returned Deferred before it fires cancels every member.
 */
@API(status = STABLE, since = "0.1")
public final class DeferredList {

    /** How a list behaves. */
    @API(status = STABLE, since = "0.1")
    public enum Option {
        /** Fail at the first member failure, with a {@link FirstErrorException}. */
        FIRE_ON_ONE_ERRBACK,
        /** Handle members' failures: each failed member is left holding {@code null}. */
        CONSUME_ERRORS
    }

    private DeferredList() {
    }

    /**
     * Fires, once every member has fired, with how each ended, in the order given; an empty list
     * fires at once with an empty list. With {@link Option#FIRE_ON_ONE_ERRBACK} it fails instead
     * at the first member failure.
     */
    public static <T> Deferred<List<Outcome<T>>> of(List<? extends Deferred<? extends T>> members, Option... options) {
        Set<Option> chosen = options(options);
        Watch<T> watch = new Watch<>(members, false, chosen.contains(Option.FIRE_ON_ONE_ERRBACK), chosen.contains(Option.CONSUME_ERRORS));
        @SuppressWarnings("unchecked")
        Deferred<List<Outcome<T>>> result = (Deferred<List<Outcome<T>>>) (Deferred<?>) watch.start();
        return result;
    }

    /**
     * Fires with the first member success and its index (Twisted's {@code fireOnOneCallback}). An
     * empty list never fires; if every member fails, it fails with {@link AllFailedException}; with
     * {@link Option#FIRE_ON_ONE_ERRBACK} it fails at the first failure instead.
     */
    public static <T> Deferred<IndexedResult<T>> firstOf(List<? extends Deferred<? extends T>> members, Option... options) {
        Set<Option> chosen = options(options);
        Watch<T> watch = new Watch<>(members, true, chosen.contains(Option.FIRE_ON_ONE_ERRBACK), chosen.contains(Option.CONSUME_ERRORS));
        @SuppressWarnings("unchecked")
        Deferred<IndexedResult<T>> result = (Deferred<IndexedResult<T>>) (Deferred<?>) watch.start();
        return result;
    }

    /**
     * Fires with the members' values in the order given once all succeed, or fails with a {@link
     * FirstErrorException} at the first failure (Twisted's {@code gatherResults}).
     */
    public static <T> Deferred<List<T>> gatherResults(List<? extends Deferred<? extends T>> members) {
        return gatherResults(members, false);
    }

    /** {@link #gatherResults(List)}, consuming members' failures when {@code consumeErrors}. */
    public static <T> Deferred<List<T>> gatherResults(List<? extends Deferred<? extends T>> members, boolean consumeErrors) {
        Deferred<List<Outcome<T>>> all = consumeErrors
                ? of(members, Option.FIRE_ON_ONE_ERRBACK, Option.CONSUME_ERRORS)
                : of(members, Option.FIRE_ON_ONE_ERRBACK);
        return all.addCallback(outcomes -> {
            List<T> values = new ArrayList<>(outcomes.size());
            for (Outcome<T> outcome : outcomes) {
                values.add(outcome.value());
            }
            return Collections.unmodifiableList(values);
        });
    }

    private static Set<Option> options(Option[] options) {
        Set<Option> chosen = EnumSet.noneOf(Option.class);
        chosen.addAll(Arrays.asList(options));
        return chosen;
    }

    /** The state of one list while its members fire. */
    private static final class Watch<T> {
        final List<? extends Deferred<? extends T>> members;
        final boolean fireOnOneCallback;
        final boolean fireOnOneErrback;
        final boolean consumeErrors;
        final Outcome<T>[] outcomes;
        int finished;
        Deferred<Object> result;

        @SuppressWarnings({"unchecked", "rawtypes"})
        Watch(List<? extends Deferred<? extends T>> members, boolean fireOnOneCallback, boolean fireOnOneErrback, boolean consumeErrors) {
            this.members = List.copyOf(Objects.requireNonNull(members, "members"));
            this.fireOnOneCallback = fireOnOneCallback;
            this.fireOnOneErrback = fireOnOneErrback;
            this.consumeErrors = consumeErrors;
            this.outcomes = new Outcome[members.size()];
        }

        Deferred<Object> start() {
            result = new Deferred<>(self -> {
                for (Deferred<? extends T> member : members) {
                    try {
                        member.cancel();
                    } catch (RuntimeException e) {
                        ErrorLog.current().err(new Failure(e), "Cancelling a member of a DeferredList failed:");
                    }
                }
            });
            if (members.isEmpty() && !fireOnOneCallback) {
                result.callback(List.of());
                return result;
            }
            for (int i = 0; i < members.size(); i++) {
                int index = i;
                members.get(i).addBoth((value, failure) -> memberFired(index, value, failure));
            }
            return result;
        }

        private Object memberFired(int index, T value, Failure failure) {
            outcomes[index] = failure == null ? Outcome.success(value) : Outcome.failure(failure);
            finished++;
            if (!result.isCalled()) {
                if (failure == null && fireOnOneCallback) {
                    result.callback(new IndexedResult<>(value, index));
                } else if (failure != null && fireOnOneErrback) {
                    result.errback(new FirstErrorException(failure, index));
                } else if (finished == outcomes.length) {
                    if (fireOnOneCallback) {
                        result.errback(new AllFailedException(List.of(outcomes)));
                    } else {
                        result.callback(List.of(outcomes));
                    }
                }
            }
            if (failure != null) {
                return consumeErrors ? null : failure;
            }
            return value;
        }
    }
}
