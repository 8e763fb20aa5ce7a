package dev.twine.conformance.harness;

import dev.twine.defer.Deferred;
import dev.twine.protocol.HalfCloseableProtocol;
import dev.twine.testing.Recorder;

/** A {@link Recorder} that can be half-closed, and records when each direction ends. */
public class HalfCloseRecorder extends Recorder implements HalfCloseableProtocol {
    /** Fires at readConnectionLost. */
    public final Deferred<Void> readLost = new Deferred<>();
    /** Fires at writeConnectionLost. */
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
