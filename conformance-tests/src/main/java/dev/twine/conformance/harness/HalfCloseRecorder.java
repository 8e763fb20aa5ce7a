package dev.twine.conformance.harness;

import dev.twine.defer.Deferred;
import dev.twine.protocol.HalfCloseableProtocol;

/** A {@link Recorder} that can be half-closed, and records when each direction ends. */
public class HalfCloseRecorder extends Recorder implements HalfCloseableProtocol {
    /** Fires at readConnectionLost. */
    public final Deferred<Void> readLost = new Deferred<>();
    /** Fires at writeConnectionLost. */
    public final Deferred<Void> writeLost = new Deferred<>();

    @Override
    public void readConnectionLost() {
        threads.add(Thread.currentThread());
        callbacks.record("readConnectionLost");
        events.add("readConnectionLost");
        readLost.callback(null);
    }

    @Override
    public void writeConnectionLost() {
        threads.add(Thread.currentThread());
        callbacks.record("writeConnectionLost");
        events.add("writeConnectionLost");
        writeLost.callback(null);
    }
}
