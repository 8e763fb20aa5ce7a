package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A reactor: one thread running an event loop that delivers every I/O event, delayed call and
 * callFromThread call to user code, one at a time. Every reactor has the required capabilities
 * combined here; an implementation with optional ones ({@link ReactorUDP}, {@link ReactorUnix},
 * {@link ReactorTLS}, {@link ReactorDescriptors}) implements those interfaces too and declares
 * them in its {@link ReactorProvider}.
 *
 * <p>A reactor is an object, not a global: many may run in one JVM, each on its own thread.
 * Apart from {@link #callFromThread} and {@link #isInIOThread}, call it on its own thread only.
 * An exception thrown by user code it calls (a protocol callback, a delayed call) is reported to
 * the {@link dev.twine.defer.ErrorLog} current on the reactor thread, the connection concerned is
 * closed, and the reactor keeps running. The line logged with an error a protocol threw names the
 * protocol's class and, on a connection a server accepted, the peer's host ({@link
 * dev.twine.reactor.support.LogPrefixes} makes that prefix).
 */
@API(status = STABLE, since = "0.1")
public interface Reactor extends ReactorCore, ReactorTime, ReactorThreads, ReactorTCP {

    /**
     * This reactor as the interface of {@code capability}, if it implements it.
     *
     * @throws UnsupportedOperationException if it does not
     */
    default <C> C as(Class<C> capability) {
        if (!capability.isInstance(this)) {
            throw new UnsupportedOperationException(getClass().getName() + " does not implement " + capability.getName());
        }
        return capability.cast(this);
    }
}
