package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A protocol that records what happens to it and on which threads, and offers Deferreds for the
 * moments a test waits for: connected, at least N bytes received, connection lost. Subclass it
 * (calling {@code super}) to act as well as record; {@link Echo} is one.
 *
 * <p>What it records: {@link #events}, the callbacks in order ({@code connectionMade}, {@code
 * dataReceived} once for each run of consecutive reads, {@code connectionLost:ReasonType});
 * {@link #received}, every byte; the reason and the number of {@code connectionLost} calls, so
 * that a second call shows. Each Deferred fires once, from inside the callback that
 * causes it, on the thread the reactor calls the protocol on (a reactor's own thread). Like any
 * protocol it is used from that one thread; read its fields there, or after the reactor has
 * stopped. {@link #callbacks} alone is thread-safe, for telling a reactor that calls from
 * elsewhere.
 *
 * <p>Bounded: it keeps at most {@code maxBytes} received bytes ({@link #DEFAULT_MAX_BYTES} unless
 * the constructor says otherwise) and {@link #MAX_EVENTS} events. Past either, the callback that
 * would grow it throws an {@link IllegalStateException} naming the limit (a reactor reports an
 * exception thrown by a protocol to its error log and drops the connection), and a pending {@link
 * #receivedAtLeast} Deferred fails with the same reason; nothing is silently dropped.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class Recorder extends Protocol {
    /** The received bytes kept by a recorder made with {@code new Recorder()}: 16 MiB. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
    /** The events kept before a callback fails. */
    public static final int MAX_EVENTS = 10_000;

    /** The callbacks in order ({@code connectionMade}, {@code dataReceived} once per run of reads, {@code connectionLost:Type}). */
    public final List<String> events = new ArrayList<>();
    /** Every byte received, in order. */
    public final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** Fires with this recorder at connectionMade (a second connectionMade throws {@link dev.twine.defer.AlreadyCalledException}). */
    public final Deferred<Recorder> connected = new Deferred<>();
    /** Fires with the reason at the first connectionLost. */
    public final Deferred<Throwable> lost = new Deferred<>();
    /** The threads the callbacks ran on, in the order first seen. */
    public final Set<Thread> threads = new LinkedHashSet<>();
    /** Each callback and the thread it ran on. */
    public final CallbackThreads callbacks = new CallbackThreads();
    /** The reason connectionLost was first given, or null. Written only by connectionLost. */
    public Throwable lostReason;
    /** How many times connectionLost was called. Written only by connectionLost. */
    public int lostCalls;
    /** How many dataReceived calls there were. Written only by dataReceived. */
    public int reads;

    private final int maxBytes;
    private final List<Waiter> waiting = new ArrayList<>();

    private record Waiter(int count, Deferred<byte[]> result) {
    }

    /** A recorder that keeps up to {@link #DEFAULT_MAX_BYTES} received bytes. */
    public Recorder() {
        this(DEFAULT_MAX_BYTES);
    }

    /** A recorder that keeps up to {@code maxBytes} received bytes. */
    public Recorder(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void connectionMade() {
        noteCallback("connectionMade");
        addEvent("connectionMade");
        // Unguarded on purpose: a second connectionMade throws AlreadyCalledException, which the
        // reactor reports, so a reactor that connects a protocol twice cannot pass unnoticed.
        connected.callback(this);
    }

    @Override
    public void dataReceived(byte[] data) {
        noteCallback("dataReceived");
        reads++;
        if (events.isEmpty() || !events.get(events.size() - 1).equals("dataReceived")) {
            addEvent("dataReceived");
        }
        if (data.length > maxBytes - received.size()) {
            IllegalStateException full = new IllegalStateException("the Recorder keeps at most " + maxBytes
                    + " received bytes and had " + received.size() + " when " + data.length
                    + " more arrived; give it a larger limit (new Recorder(maxBytes)) or count the bytes instead");
            failWaiting(full);
            throw full;
        }
        received.writeBytes(data);
        check();
    }

    @Override
    public void connectionLost(Failure reason) {
        noteCallback("connectionLost");
        lostCalls++;
        if (lostReason == null) {
            lostReason = reason.value();
        }
        addEvent("connectionLost:" + reason.type().getSimpleName());
        if (!lost.isCalled()) {
            lost.callback(reason.value());
        }
        for (Waiter waiter : takeWaiting()) {
            waiter.result().errback(new Failure(new AssertionError("the connection was lost ("
                    + reason.type().getSimpleName() + ") after " + received.size() + " of the " + waiter.count()
                    + " bytes expected")));
        }
    }

    /**
     * Fires with everything received so far once at least {@code count} bytes have arrived in
     * all (at once, if they already have). Fails with an {@link AssertionError} saying how many
     * arrived if the connection is lost first. Several may wait at the same time.
     */
    public Deferred<byte[]> receivedAtLeast(int count) {
        Deferred<byte[]> result = new Deferred<>();
        waiting.add(new Waiter(count, result));
        check();
        return result;
    }

    /** What arrived, decoded as UTF-8. */
    public String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** Writes {@code text}, encoded as UTF-8, to this protocol's transport. */
    public void send(String text) {
        transport().write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Notes that {@code callback} runs now, in {@link #threads} and {@link #callbacks}: for a
     * subclass's own callbacks ({@link #connectionMade} and the others call it already).
     */
    protected final void noteCallback(String callback) {
        threads.add(Thread.currentThread());
        callbacks.record(callback);
    }

    /** Adds {@code event} to {@link #events}; throws an {@link IllegalStateException} past {@link #MAX_EVENTS}. */
    protected final void addEvent(String event) {
        if (events.size() >= MAX_EVENTS) {
            IllegalStateException full = new IllegalStateException("the Recorder keeps at most " + MAX_EVENTS
                    + " events; the last were " + events.subList(events.size() - 3, events.size()) + ", then " + event);
            failWaiting(full);
            throw full;
        }
        events.add(event);
    }

    private void check() {
        List<Waiter> ready = new ArrayList<>();
        for (Waiter waiter : waiting) {
            if (received.size() >= waiter.count()) {
                ready.add(waiter);
            }
        }
        waiting.removeAll(ready);
        for (Waiter waiter : ready) {
            waiter.result().callback(received.toByteArray());
        }
    }

    private void failWaiting(Throwable reason) {
        for (Waiter waiter : takeWaiting()) {
            waiter.result().errback(new Failure(reason));
        }
    }

    private List<Waiter> takeWaiting() {
        List<Waiter> all = List.copyOf(waiting);
        waiting.clear();
        return all;
    }
}
