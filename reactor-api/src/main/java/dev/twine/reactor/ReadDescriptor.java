package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** A {@link Descriptor} the reactor tells when its channel can be read: Twisted's {@code IReadDescriptor}. */
@API(status = STABLE, since = "0.1")
public interface ReadDescriptor extends Descriptor {

    /**
     * Reads what is available without blocking. Returns {@code null} to stay registered, or a
     * reason to stop ({@link dev.twine.protocol.ConnectionDone} at end of stream, {@link
     * dev.twine.protocol.ConnectionLost} on error): the reactor then removes the descriptor and
     * calls {@link #connectionLost} with it. An exception thrown here is logged and treated as
     * that reason.
     */
    Throwable doRead() throws Exception;
}
