package dev.twine.application;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The root of a program's services: Twisted's {@code service.Application}. It is a {@link
 * MultiService}: children are added with {@link Service#setServiceParent} (or {@link #add}),
 * found with {@link #getServiceNamed}, started in the order they were added and stopped in
 * reverse when the runner stops it.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Application extends MultiService {
    /** An application called {@code name}, with no services yet. */
    public Application(String name) {
        super(name);
    }
}
