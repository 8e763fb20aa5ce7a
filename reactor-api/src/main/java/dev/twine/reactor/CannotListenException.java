package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A listen call that could not bind (Twisted's {@code CannotListenError}): the address is in
 * use, the interface does not exist, or the process may not bind there. Thrown by the listen
 * call itself.
 */
@API(status = STABLE, since = "0.1")
public class CannotListenException extends RuntimeException {
    private final String iface;
    private final int port;

    /** Could not listen on {@code iface}:{@code port} because of {@code cause}. */
    public CannotListenException(String iface, int port, Throwable cause) {
        super("Couldn't listen on " + (iface == null || iface.isEmpty() ? "any" : iface) + ":" + port
                + ": " + (cause == null ? "unknown reason" : cause.getMessage()) + ".", cause);
        this.iface = iface;
        this.port = port;
    }

    /** The interface it tried ("" for all). */
    public String iface() {
        return iface;
    }

    /** The port it tried. */
    public int port() {
        return port;
    }
}
