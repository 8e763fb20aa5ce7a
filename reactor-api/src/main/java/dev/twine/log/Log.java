package dev.twine.log;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * The process's log, Twisted's {@code twisted.python.log}: {@link #msg} and {@link #err} make a
 * {@link LogEvent} and hand it to every {@link LogObserver} added; {@link #startLogging} adds one
 * that writes Twisted's lines to a stream or a file.
 *
 * <p>Before any observer is added, messages go nowhere (as in the tutorial's Twisted) and errors
 * are printed on {@code System.err} (the {@code why} line, then the traceback), so that no error
 * is lost. {@link ErrorLog}'s default is this log: a Failure left unhandled in a Deferred ("Unhandled
 * error in Deferred:") and an exception thrown by protocol code or a delayed call reach the
 * observers too, unless a test runner bound a log of its own on that thread ({@link ErrorLog#bind}).
 *
 * <p>Every method may be called from any thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Log {
    /** The system of events logged without one: Twisted's {@code -}. */
    public static final String NO_SYSTEM = "-";

    private static final List<LogObserver> OBSERVERS = new CopyOnWriteArrayList<>();

    private Log() {
    }

    /** Logs {@code message}, with no system. */
    public static void msg(String message) {
        emit(new LogEvent(Instant.now(), NO_SYSTEM, Objects.requireNonNull(message, "message"), null, false));
    }

    /** Logs {@code message} as an error, with no failure (Twisted's {@code log.err("...")}). */
    public static void err(String message) {
        emit(new LogEvent(Instant.now(), NO_SYSTEM, Objects.requireNonNull(message, "message"), null, true));
    }

    /**
     * Logs {@code failure} as an error: {@code why} (or "Unhandled Error" when it is {@code null}),
     * then the traceback.
     */
    public static void err(Failure failure, String why) {
        emit(new LogEvent(Instant.now(), NO_SYSTEM, why, Objects.requireNonNull(failure, "failure"), true));
    }

    /** Logs {@code error} as {@link #err(Failure, String)} does, wrapped in a Failure. */
    public static void err(Throwable error, String why) {
        err(new Failure(Objects.requireNonNull(error, "error")), why);
    }

    /**
     * A logger whose events carry {@code system}, shown in brackets instead of {@code -}: what
     * Twisted takes from the context (a protocol's {@code logPrefix}), named here.
     */
    public static Source system(String system) {
        return new Source(Objects.requireNonNull(system, "system"));
    }

    /** Adds an observer: it receives every event logged from now on, until removed. */
    public static void addObserver(LogObserver observer) {
        OBSERVERS.add(Objects.requireNonNull(observer, "observer"));
    }

    /** Removes an observer (the first occurrence, if it was added twice); returns whether it was there. */
    public static boolean removeObserver(LogObserver observer) {
        return OBSERVERS.remove(observer);
    }

    /**
     * Starts logging to {@code out}: adds a {@link FileLogObserver} writing to it, times in the
     * system's zone, and logs {@code Log opened.} Returns the observer, to remove and close.
     * (Twisted's {@code startLogging} also sends {@code print}'s output to the log; Twine leaves
     * {@code System.out} alone.)
     */
    public static FileLogObserver startLogging(OutputStream out) {
        return start(new FileLogObserver(out, ZoneId.systemDefault()));
    }

    /** Starts logging to the end of {@code file}, as {@link #startLogging(OutputStream)} does. */
    public static FileLogObserver startLogging(Path file) {
        return start(FileLogObserver.appendingTo(file, ZoneId.systemDefault()));
    }

    private static FileLogObserver start(FileLogObserver observer) {
        addObserver(observer);
        msg("Log opened.");
        return observer;
    }

    /**
     * An observer that passes events on to {@link System.Logger} {@code name} (INFO for messages,
     * ERROR for errors, with the failure's exception), for a program whose logs go through the
     * JDK's logging or a backend bound to it.
     */
    public static LogObserver toSystemLogger(String name) {
        System.Logger logger = System.getLogger(Objects.requireNonNull(name, "name"));
        return event -> {
            String text = "[" + event.system() + "] " + (event.message() != null ? event.message() : "Unhandled Error");
            if (event.failure() != null) {
                logger.log(System.Logger.Level.ERROR, text, event.failure().value());
            } else {
                logger.log(event.isError() ? System.Logger.Level.ERROR : System.Logger.Level.INFO, text);
            }
        };
    }

    static void emit(LogEvent event) {
        if (OBSERVERS.isEmpty()) {
            if (event.failure() != null) {
                ErrorLog.standardError().err(event.failure(), event.message());
            } else if (event.isError()) {
                System.err.println(event.message());
                System.err.flush();
            }
            return;
        }
        for (LogObserver observer : OBSERVERS) {
            try {
                observer.emit(event);
            } catch (RuntimeException e) {
                // A broken observer must not stop the others, nor the code that logged.
                System.err.println("A log observer failed (" + observer + "): " + e);
            }
        }
    }

    /** Logs with a system of its own; made by {@link Log#system}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static final class Source {
        private final String system;

        Source(String system) {
            this.system = system;
        }

        /** The system its events carry. */
        public String system() {
            return system;
        }

        /** Logs {@code message}. */
        public void msg(String message) {
            emit(new LogEvent(Instant.now(), system, Objects.requireNonNull(message, "message"), null, false));
        }

        /** Logs {@code failure} as an error, after {@code why}. */
        public void err(Failure failure, String why) {
            emit(new LogEvent(Instant.now(), system, why, Objects.requireNonNull(failure, "failure"), true));
        }
    }
}
