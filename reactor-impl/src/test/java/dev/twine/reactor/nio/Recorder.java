package dev.twine.reactor.nio;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A protocol that records what happens to it and offers Deferreds for the moments tests wait for. */
class Recorder extends Protocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final Deferred<Recorder> connected = new Deferred<>();
    final Deferred<Throwable> lost = new Deferred<>();
    private Deferred<byte[]> waitingFor;
    private int waitingForBytes;
    Thread connectedOn;

    @Override
    public void connectionMade() {
        events.add("connectionMade");
        connectedOn = Thread.currentThread();
        connected.callback(this);
    }

    @Override
    public void dataReceived(byte[] data) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("dataReceived")) {
            events.add("dataReceived");
        }
        received.writeBytes(data);
        checkWaiting();
    }

    @Override
    public void connectionLost(Failure reason) {
        events.add("connectionLost:" + reason.type().getSimpleName());
        lost.callback(reason.value());
    }

    /** Fires once at least {@code count} bytes have arrived in all. */
    Deferred<byte[]> receivedAtLeast(int count) {
        waitingFor = new Deferred<>();
        waitingForBytes = count;
        Deferred<byte[]> d = waitingFor;
        checkWaiting();
        return d;
    }

    private void checkWaiting() {
        if (waitingFor != null && received.size() >= waitingForBytes) {
            Deferred<byte[]> d = waitingFor;
            waitingFor = null;
            d.callback(received.toByteArray());
        }
    }

    String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    void send(String text) {
        transport().write(text.getBytes(StandardCharsets.UTF_8));
    }
}
