package dev.twine.log;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Failure;
import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One thing logged: Twisted's event dictionary, with the keys it always has.
 *
 * @param time when it was logged
 * @param system who logged it, shown in brackets ({@code -} when nobody said)
 * @param message the message of {@link Log#msg}, or the {@code why} line of {@link Log#err}
 *     ({@code null} when an error came without one)
 * @param failure the error of {@link Log#err}, or {@code null}
 * @param isError whether it was logged as an error
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record LogEvent(Instant time, String system, String message, Failure failure, boolean isError) {
    /** Checks the parts that must be there. */
    public LogEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(system, "system");
        if (message == null && failure == null) {
            throw new IllegalArgumentException("an event has a message, a failure or both");
        }
    }

    /**
     * The event's text as Twisted writes it: the message; for an error with a failure, the {@code
     * why} line (or {@code Unhandled Error}) followed by the failure's traceback, lines joined
     * with {@code \n}, no newline at the end.
     */
    public String text() {
        if (failure == null) {
            return message;
        }
        String traceback = failure.getTraceback().replace("\r\n", "\n");
        while (traceback.endsWith("\n")) {
            traceback = traceback.substring(0, traceback.length() - 1);
        }
        return (message != null ? message : "Unhandled Error") + "\n" + traceback;
    }
}
