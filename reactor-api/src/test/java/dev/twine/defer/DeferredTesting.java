package dev.twine.defer;

/**
 * Synchronous result helpers for these tests (the trial engine has the public ones). Like
 * trial's, they consume the result: the Deferred is left holding null.
 */
final class DeferredTesting {
    private DeferredTesting() {
    }

    static <T> T successResultOf(Deferred<T> d) {
        Object[] box = new Object[2];
        d.addVoidBoth((value, failure) -> {
            box[0] = value;
            box[1] = failure == null ? Boolean.TRUE : failure;
        });
        if (box[1] == null) {
            throw new AssertionError("Success result expected on " + d + ", found no result instead");
        }
        if (box[1] instanceof Failure f) {
            throw new AssertionError("Success result expected on " + d + ", found failure result instead:\n" + f.getTraceback());
        }
        @SuppressWarnings("unchecked")
        T value = (T) box[0];
        return value;
    }

    static Failure failureResultOf(Deferred<?> d) {
        Object[] box = new Object[2];
        d.addVoidBoth((value, failure) -> {
            box[0] = value;
            box[1] = failure == null ? Boolean.TRUE : failure;
        });
        if (box[1] == null) {
            throw new AssertionError("Failure result expected on " + d + ", found no result instead");
        }
        if (!(box[1] instanceof Failure f)) {
            throw new AssertionError("Failure result expected on " + d + ", found success result (" + box[0] + ") instead");
        }
        return f;
    }

    static void assertNoResult(Deferred<?> d) {
        boolean[] fired = {false};
        Object[] seen = new Object[1];
        d.addBoth((value, failure) -> {
            fired[0] = true;
            seen[0] = failure != null ? failure : value;
            if (failure != null) {
                throw failure.raiseException();
            }
            return value;
        });
        if (fired[0]) {
            throw new AssertionError("No result expected on " + d + ", found " + seen[0] + " instead");
        }
    }
}
