package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Watching user channels by hand, an optional capability ({@link Capability#DESCRIPTORS}):
 * Twisted's {@code IReactorFDSet}, the layer the tutorial's first client is written on. Called on
 * the reactor thread. Adding twice, or removing what is not there, is harmless.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorDescriptors {

    /** Calls {@code reader.doRead()} whenever its channel has something to read. */
    void addReader(ReadDescriptor reader);

    /** Calls {@code writer.doWrite()} whenever its channel can take more bytes. */
    void addWriter(WriteDescriptor writer);

    /** Stops watching {@code reader} for reading. */
    void removeReader(ReadDescriptor reader);

    /** Stops watching {@code writer} for writing. */
    void removeWriter(WriteDescriptor writer);

    /**
     * Stops watching every descriptor, including the reactor's own connections and ports (but not
     * its internal waker), and returns them.
     */
    List<Descriptor> removeAll();

    /** The descriptors watched for reading, the reactor's own included. */
    List<ReadDescriptor> getReaders();

    /** The descriptors watched for writing, the reactor's own included. */
    List<WriteDescriptor> getWriters();
}
