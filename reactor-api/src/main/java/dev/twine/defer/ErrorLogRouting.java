package dev.twine.defer;

/** The mutable state behind {@link ErrorLog}'s static methods. */
final class ErrorLogRouting {
    static final ErrorLog STANDARD_ERROR = (failure, why) -> {
        StringBuilder text = new StringBuilder();
        if (why != null) {
            text.append(why).append(System.lineSeparator());
        }
        text.append(failure.getTraceback());
        System.err.print(text);
        System.err.flush();
    };

    /** Twine's log: its observers once logging has started, System.err (as STANDARD_ERROR) before. */
    static final ErrorLog TO_LOG = dev.twine.log.Log::err;

    private static final ThreadLocal<ErrorLog> BOUND = new ThreadLocal<>();
    private static volatile ErrorLog defaultLog = TO_LOG;

    private ErrorLogRouting() {
    }

    static ErrorLog current() {
        ErrorLog bound = BOUND.get();
        return bound != null ? bound : defaultLog;
    }

    static synchronized ErrorLog setDefault(ErrorLog log) {
        ErrorLog previous = defaultLog;
        defaultLog = log;
        return previous;
    }

    static ErrorLog.Binding bind(ErrorLog log) {
        Thread owner = Thread.currentThread();
        ErrorLog previous = BOUND.get();
        BOUND.set(log);
        return new ErrorLog.Binding() {
            private boolean closed;

            @Override
            public void close() {
                if (Thread.currentThread() != owner) {
                    throw new IllegalStateException(
                            "an ErrorLog binding must be closed on the thread that made it (" + owner.getName() + ")");
                }
                if (closed) {
                    return;
                }
                closed = true;
                if (previous == null) {
                    BOUND.remove();
                } else {
                    BOUND.set(previous);
                }
            }
        };
    }
}
