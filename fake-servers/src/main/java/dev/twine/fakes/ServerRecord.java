package dev.twine.fakes;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a fake server saw, as an immutable snapshot: every connection, and every fault.
 *
 * @param server what kind of server ({@code slow-poetry}, {@code transform}, …)
 * @param port the port it listens on
 * @param connections every connection it accepted, in order
 * @param faults every fault, in order
 * @param log the lines it printed (the tutorial's originals print the same), in order
 */
public record ServerRecord(String server, int port, List<ConnectionRecord> connections, List<Fault> faults, List<String> log) {

    /** Copies the lists. */
    public ServerRecord {
        connections = List.copyOf(connections);
        faults = List.copyOf(faults);
        log = List.copyOf(log);
    }

    /** How many connections it accepted. */
    public int connectionCount() {
        return connections.size();
    }

    /** The connection with id {@code id}. */
    public ConnectionRecord connection(int id) {
        return connections.stream().filter(c -> c.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no connection " + id + " in " + this));
    }

    /** The faults of kind {@code kind}. */
    public List<Fault> faults(FaultKind kind) {
        return faults.stream().filter(f -> f.kind() == kind).collect(Collectors.toList());
    }

    /** Bytes received on every connection. */
    public long bytesIn() {
        return connections.stream().mapToLong(ConnectionRecord::bytesIn).sum();
    }

    /** Bytes sent on every connection. */
    public long bytesOut() {
        return connections.stream().mapToLong(ConnectionRecord::bytesOut).sum();
    }
}
