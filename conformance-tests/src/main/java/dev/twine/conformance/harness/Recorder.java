package dev.twine.conformance.harness;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A protocol that records what happens to it, on which threads, and offers Deferreds for the
 * moments rules wait for: connected, bytes received, connection lost.
 */
public class Recorder extends Protocol {
    /** The callbacks in order ({@code connectionMade}, {@code dataReceived} once per run of reads, {@code connectionLost:Type}). */
    public final List<String> events = new ArrayList<>();
    /** Every byte received. */
    public final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** Fires with this recorder at connectionMade. */
    public final Deferred<Recorder> connected = new Deferred<>();
    /** Fires with the reason at connectionLost. */
    public final Deferred<Throwable> lost = new Deferred<>();
    /** The threads the callbacks ran on. */
    public final Set<Thread> threads = new LinkedHashSet<>();
    /** Each callback and the thread it ran on. */
    public final CallbackThreads callbacks = new CallbackThreads();
    /** The reason connectionLost was first given, or null. */
    public Throwable lostReason;
    /** How many times connectionLost was called. */
    public int lostCalls;
    /** How many dataReceived calls there were. */
    public int reads;
    private Deferred<byte[]> waiting;
    private int waitingFor;

    @Override
    public void connectionMade() {
        threads.add(Thread.currentThread());
        callbacks.record("connectionMade");
        events.add("connectionMade");
        connected.callback(this);
    }

    @Override
    public void dataReceived(byte[] data) {
        threads.add(Thread.currentThread());
        callbacks.record("dataReceived");
        reads++;
        if (events.isEmpty() || !events.get(events.size() - 1).equals("dataReceived")) {
            events.add("dataReceived");
        }
        received.writeBytes(data);
        check();
    }

    @Override
    public void connectionLost(Failure reason) {
        threads.add(Thread.currentThread());
        callbacks.record("connectionLost");
        lostCalls++;
        if (lostReason == null) {
            lostReason = reason.value();
        }
        events.add("connectionLost:" + reason.type().getSimpleName());
        if (!lost.isCalled()) {
            lost.callback(reason.value());
        }
        if (waiting != null) {
            Deferred<byte[]> d = waiting;
            waiting = null;
            d.errback(new Failure(new AssertionError("the connection was lost (" + reason.type().getSimpleName()
                    + ") after " + received.size() + " of the " + waitingFor + " bytes expected")));
        }
    }

    /** Fires with everything received once at least {@code count} bytes have arrived. */
    public Deferred<byte[]> receivedAtLeast(int count) {
        waiting = new Deferred<>();
        waitingFor = count;
        Deferred<byte[]> d = waiting;
        check();
        return d;
    }

    private void check() {
        if (waiting != null && received.size() >= waitingFor) {
            Deferred<byte[]> d = waiting;
            waiting = null;
            d.callback(received.toByteArray());
        }
    }

    /** What arrived, as UTF-8. */
    public String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** Writes {@code text} as UTF-8. */
    public void send(String text) {
        transport().write(text.getBytes(StandardCharsets.UTF_8));
    }
}
