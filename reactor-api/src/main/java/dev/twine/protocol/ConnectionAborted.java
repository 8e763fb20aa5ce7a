package dev.twine.protocol;

/** This side called {@link Transport#abortConnection()} (Twisted's {@code ConnectionAborted}). */
public class ConnectionAborted extends ConnectionLost {
    /** The standard message. */
    public ConnectionAborted() {
        super("Connection was aborted locally with abortConnection().", null);
    }
}
