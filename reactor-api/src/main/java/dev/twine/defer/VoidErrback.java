package dev.twine.defer;

/**
 * A step on the errback side of a {@link Deferred} that handles a {@link Failure} and returns
 * nothing: returning resumes the chain on the callback side with {@code null}; throwing (for
 * example through {@link Failure#trap}) keeps it on the errback side.
 *
 * @see Deferred#addVoidErrback(VoidErrback)
 */
@FunctionalInterface
public interface VoidErrback {
    /** Handles {@code failure}. */
    void accept(Failure failure) throws Exception;
}
