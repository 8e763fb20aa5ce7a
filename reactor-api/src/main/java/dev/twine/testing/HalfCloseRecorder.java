package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.protocol.HalfCloseableProtocol;
import org.apiguardian.api.API;

/**
 * A {@link Recorder} that can be half-closed, and records when each direction ends: the events
 * {@code readConnectionLost} and {@code writeConnectionLost}, and a Deferred for each. Each
 * Deferred fires once, from inside its callback (a second call throws {@link
 * dev.twine.defer.AlreadyCalledException}, so a reactor that reports a direction's end twice is
 * noticed). Subclass it, calling {@code super}, to act on the half-close as well.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class HalfCloseRecorder extends Recorder implements HalfCloseableProtocol {
    /** Fires at readConnectionLost: the peer will send nothing more. */
    public final Deferred<Void> readLost = new Deferred<>();
    /** Fires at writeConnectionLost: this side's output is shut. */
    public final Deferred<Void> writeLost = new Deferred<>();

    @Override
    public void readConnectionLost() {
        noteCallback("readConnectionLost");
        addEvent("readConnectionLost");
        readLost.callback(null);
    }

    @Override
    public void writeConnectionLost() {
        noteCallback("writeConnectionLost");
        addEvent("writeConnectionLost");
        writeLost.callback(null);
    }
}
