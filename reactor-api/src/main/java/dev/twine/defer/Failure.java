package dev.twine.defer;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An error travelling down a {@link Deferred}'s errback chain: Twisted's {@code Failure}, wrapping
 * the {@link Throwable} that was thrown or passed to {@link Deferred#errback(Throwable)}.
 *
 * <p>A Failure is a value, not an exception: it is what errbacks receive and what a Deferred holds
 * while it has failed. Any callback result that is a Failure sends the chain down the errback
 * side. Instances are immutable and may be shared between threads.
 */
@API(status = STABLE, since = "0.1")
public final class Failure {
    private final Throwable value;

    /**
     * Wraps {@code value}.
     *
     * @throws NullPointerException if {@code value} is null
     */
    public Failure(Throwable value) {
        this.value = Objects.requireNonNull(value, "a Failure needs the Throwable it reports");
    }

    /** The wrapped exception, exactly as it was thrown. */
    public Throwable value() {
        return value;
    }

    /** The wrapped exception's class. */
    public Class<? extends Throwable> type() {
        return value.getClass();
    }

    /**
     * The first of {@code types} that the wrapped exception is an instance of, or {@code null} if
     * none is.
     */
    @SafeVarargs
    public final Class<? extends Throwable> check(Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(value)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Like {@link #check} but for use inside an errback: returns the matching type, or, if none
     * matches, rethrows the wrapped exception unchanged (checked or not), so that the chain carries
     * on down the errback side with the same error.
     */
    @SafeVarargs
    public final Class<? extends Throwable> trap(Class<? extends Throwable>... types) {
        Class<? extends Throwable> match = check(types);
        if (match == null) {
            throw raiseException();
        }
        return match;
    }

    /**
     * Throws the wrapped exception, checked or not, without wrapping it. Declared to return an
     * exception so that callers can write {@code throw failure.raiseException();} and the compiler
     * sees the branch end; it never returns.
     */
    public RuntimeException raiseException() {
        throw Failure.<RuntimeException>sneakyThrow(value);
    }

    /** The wrapped exception's message, or its class name when it has none. */
    public String getErrorMessage() {
        String message = value.getMessage();
        return message != null ? message : value.getClass().getName();
    }

    /** The wrapped exception's full stack trace, causes and suppressed exceptions included. */
    public String getTraceback() {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            value.printStackTrace(out);
        }
        return text.toString();
    }

    /** {@code [Failure instance: <exception>]}, where the exception is shown by its own toString. */
    @Override
    public String toString() {
        return "[Failure instance: " + value + "]";
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
