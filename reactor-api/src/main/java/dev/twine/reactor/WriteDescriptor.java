package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** A {@link Descriptor} the reactor tells when its channel can be written: Twisted's {@code IWriteDescriptor}. */
@API(status = STABLE, since = "0.1")
public interface WriteDescriptor extends Descriptor {

    /**
     * Writes what it can without blocking. Returns {@code null} to stay registered (remove
     * yourself with {@link ReactorDescriptors#removeWriter} when you have nothing left to write),
     * or a reason to stop, as for {@link ReadDescriptor#doRead()}.
     */
    Throwable doWrite() throws Exception;
}
