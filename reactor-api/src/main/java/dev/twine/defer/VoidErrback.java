package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A step on the errback side of a {@link Deferred} that handles a {@link Failure} and returns
 * nothing: returning resumes the chain on the callback side with {@code null}; throwing (for
 * example through {@link Failure#trap}) keeps it on the errback side.
 *
 * @see Deferred#addVoidErrback(VoidErrback)
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface VoidErrback {
    /** Handles {@code failure}. */
    void accept(Failure failure) throws Exception;
}
