package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** This side called {@link Transport#abortConnection()} (Twisted's {@code ConnectionAborted}). */
@API(status = STABLE, since = "0.1")
public class ConnectionAborted extends ConnectionLost {
    /** The standard message. */
    public ConnectionAborted() {
        super("Connection was aborted locally with abortConnection().", null);
    }
}
