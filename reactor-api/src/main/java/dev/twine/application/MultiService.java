package dev.twine.application;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A service made of others: Twisted's {@code MultiService}. Starting starts the children one after
 * another, in the order they were added, each waited for; stopping stops the started ones in the
 * reverse order, each waited for, and stops them all even when one fails (the first failure is
 * the result). A child that fails to start stops the start: those already started are stopped again.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class MultiService implements Service {
    private final String name;
    private final List<Service> children = new ArrayList<>();
    private final List<Service> started = new ArrayList<>();
    private boolean running;

    /** An empty multi-service called {@code name}. */
    public MultiService(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Adds a child; it starts after the ones added before it and stops before them.
     *
     * @throws IllegalStateException if this service is running, or a child has that name already
     */
    public MultiService add(Service child) {
        Objects.requireNonNull(child, "child");
        if (running) {
            throw new IllegalStateException("cannot add " + child.name() + " to " + name + " while it runs");
        }
        for (Service existing : children) {
            if (existing.name().equals(child.name())) {
                throw new IllegalStateException(name + " already has a service called " + child.name());
            }
        }
        children.add(child);
        return this;
    }

    /**
     * The child called {@code name} (Twisted's {@code getServiceNamed}).
     *
     * @throws java.util.NoSuchElementException if it has none of that name
     */
    public Service getServiceNamed(String name) {
        for (Service child : children) {
            if (child.name().equals(name)) {
                return child;
            }
        }
        throw new java.util.NoSuchElementException(this.name + " has no service called " + name);
    }

    /** The children, in the order they start. */
    public List<Service> children() {
        return Collections.unmodifiableList(children);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Deferred<Void> startService() {
        if (running) {
            throw new IllegalStateException(name + " is already running");
        }
        running = true;
        Deferred<Void> chain = Deferred.succeed(null);
        for (Service child : children) {
            chain = chain.addDeferredCallback(ignored -> child.startService().addVoidCallback(done -> {
                started.add(child);
            }));
        }
        return chain.addDeferredErrback(failure -> stopStarted().addCallback(ignored -> {
            running = false;
            throw failure.raiseException();
        }));
    }

    @Override
    public Deferred<Void> stopService() {
        if (!running) {
            throw new IllegalStateException(name + " is not running");
        }
        return stopStarted().addVoidBoth((value, failure) -> {
            running = false;
            if (failure != null) {
                throw failure.raiseException();
            }
        });
    }

    /** Stops the started children, last first, each waited for; fails with the first failure after trying all. */
    private Deferred<Void> stopStarted() {
        List<Service> toStop = new ArrayList<>(started);
        Collections.reverse(toStop);
        started.clear();
        Deferred<Void> chain = Deferred.succeed(null);
        dev.twine.defer.Failure[] first = new dev.twine.defer.Failure[1];
        for (Service child : toStop) {
            chain = chain.addDeferredCallback(ignored -> Deferred.maybeDeferred(child::stopService).addVoidErrback(failure -> {
                if (first[0] == null) {
                    first[0] = failure;
                }
            }).addCallback(ignored2 -> (Void) null));
        }
        return chain.addVoidCallback(ignored -> {
            if (first[0] != null) {
                throw first[0].raiseException();
            }
        });
    }
}
