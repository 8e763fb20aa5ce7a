package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.defer.Failure;
import java.nio.channels.SelectableChannel;
import org.apiguardian.api.API;

/**
 * A channel that user code reads or writes by hand on the reactor (see {@link
 * ReactorDescriptors}): Twisted's {@code IFileDescriptor}. All methods are called on the reactor
 * thread.
 */
@API(status = STABLE, since = "0.1")
public interface Descriptor {

    /** The channel to watch; the reactor puts it in non-blocking mode when it is added. */
    SelectableChannel channel();

    /**
     * Called once when the reactor stops watching this descriptor because {@code doRead} or
     * {@code doWrite} reported the end (or threw), or because the reactor shut down. The reactor
     * removes the descriptor first; closing the channel is the descriptor's job.
     */
    void connectionLost(Failure reason);

    /** A short name for log lines about this descriptor. */
    default String logPrefix() {
        return getClass().getSimpleName();
    }
}
