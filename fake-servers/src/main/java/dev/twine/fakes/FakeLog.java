package dev.twine.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The mutable record of one fake server; snapshots become {@link ServerRecord}s. Thread-safe. */
final class FakeLog {
    private final String server;
    private final Consumer<String> printer;
    private final List<ConnectionLog> connections = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private int port;

    FakeLog(String server, Consumer<String> printer) {
        this.server = server;
        this.printer = printer;
    }

    synchronized void port(int port) {
        this.port = port;
    }

    synchronized ConnectionLog newConnection(String peer) {
        ConnectionLog log = new ConnectionLog(this, connections.size() + 1, peer);
        connections.add(log);
        return log;
    }

    synchronized void fault(Fault fault) {
        faults.add(fault);
    }

    /** Records a line the tutorial's server would print, and prints it if printing is on. */
    void line(String text) {
        synchronized (this) {
            lines.add(text);
        }
        printer.accept(text);
    }

    synchronized ServerRecord snapshot() {
        List<ConnectionRecord> records = new ArrayList<>(connections.size());
        for (ConnectionLog log : connections) {
            records.add(log.snapshot());
        }
        return new ServerRecord(server, port, records, faults, lines);
    }
}
