package dev.twine.fakes;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The mutable record of one connection; snapshots become {@link ConnectionRecord}s. Thread-safe. */
final class ConnectionLog {
    private static final int MAX_WRITES = 10_000;

    private final FakeLog owner;
    final int id;
    final String peer;
    private final long openedNanos = System.nanoTime();
    private long bytesIn;
    private long bytesOut;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private boolean truncated;
    private final List<Integer> writes = new ArrayList<>();
    private final List<Duration> writeTimes = new ArrayList<>();
    private Ending ending = Ending.OPEN;
    private boolean peerHalfClosed;
    private final List<Fault> faults = new ArrayList<>();

    ConnectionLog(FakeLog owner, int id, String peer) {
        this.owner = owner;
        this.id = id;
        this.peer = peer;
    }

    synchronized void received(byte[] data, int length) {
        bytesIn += length;
        int room = ConnectionRecord.CAPTURE_LIMIT - captured.size();
        if (room > 0) {
            captured.write(data, 0, Math.min(room, length));
        }
        if (length > room) {
            truncated = true;
        }
    }

    synchronized void wrote(int length) {
        bytesOut += length;
        if (writes.size() < MAX_WRITES) {
            writes.add(length);
            writeTimes.add(Duration.ofNanos(System.nanoTime() - openedNanos));
        }
    }

    synchronized void peerHalfClosed() {
        peerHalfClosed = true;
    }

    /** Records how it ended; the first ending stands. */
    synchronized void ended(Ending how) {
        if (ending == Ending.OPEN) {
            ending = how;
        }
    }

    synchronized Ending ending() {
        return ending;
    }

    void fault(FaultKind kind, String detail) {
        Fault fault = new Fault(id, kind, detail);
        synchronized (this) {
            faults.add(fault);
        }
        owner.fault(fault);
    }

    synchronized ConnectionRecord snapshot() {
        return new ConnectionRecord(id, peer, bytesIn, bytesOut, captured.toByteArray(), truncated, writes, writeTimes,
                ending, peerHalfClosed, faults);
    }
}
