package dev.twine.trial.engine.execution;

import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The errors logged while one test runs (trial watches the log the same way). Bound on the reactor
 * thread for the test's duration; thread-safe, as pool threads may log into it too.
 */
final class TestErrorLog implements ErrorLog {
    private final List<String> whys = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    @Override
    public synchronized void err(Failure failure, String why) {
        whys.add(why);
        failures.add(failure);
    }

    /** Removes and returns the errors of one of {@code types} (all when none is given). */
    synchronized List<Failure> flush(List<Class<? extends Throwable>> types) {
        List<Failure> flushed = new ArrayList<>();
        Iterator<Failure> failureIt = failures.iterator();
        Iterator<String> whyIt = whys.iterator();
        while (failureIt.hasNext()) {
            Failure failure = failureIt.next();
            whyIt.next();
            if (types.isEmpty() || types.stream().anyMatch(type -> type.isInstance(failure.value()))) {
                flushed.add(failure);
                failureIt.remove();
                whyIt.remove();
            }
        }
        return flushed;
    }

    synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    synchronized List<String> whys() {
        return new ArrayList<>(whys);
    }

    synchronized boolean isEmpty() {
        return failures.isEmpty();
    }
}
