package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.protocol.PushProducer;
import dev.twine.protocol.Transport;
import dev.twine.reactor.ReactorTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A streaming producer that writes one chunk again and again to a transport while it is not
 * paused, until it has written a total; then it unregisters itself and closes the connection
 * ({@code loseConnection}). For tests of flow control: register it with {@code
 * registerProducer(producer, true)} and call {@link #produce()}.
 *
 * <p>It writes in bursts of at most {@link #BURST} chunks, one burst a turn of the reactor's loop
 * (the next is scheduled with {@code callLater(Duration.ZERO)}), so a transport may pause it
 * inside a write or between bursts; {@link Writing} says how it writes and when it writes again
 * after {@code resumeProducing}. It records what it was told ({@link #events}: {@code pause},
 * {@code resume}, {@code stop}) and how much it had written when first paused ({@link
 * #writtenAtFirstPause}, and the Deferred {@link #firstPause}).
 *
 * <p>Use it on the reactor thread, as the transport calls it. It holds one chunk, whatever the
 * total; {@link #events} is bounded by {@link #MAX_EVENTS} (past it, the call that would add one
 * throws an {@link IllegalStateException}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ChunkProducer implements PushProducer {
    /** The most chunks written in one turn of the loop. */
    public static final int BURST = 16;
    /** The events kept before a call fails. */
    public static final int MAX_EVENTS = 100_000;

    /** How a {@link ChunkProducer} writes and when it writes again. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public enum Writing {
        /** {@code write()}, and the next burst at the next turn of the loop after resumeProducing. */
        WRITE_LATER,
        /** {@code write()}, from inside resumeProducing itself (re-entrant: it may be paused again within it). */
        WRITE_REENTRANT,
        /** {@code writeSequence()} of the chunk in four pieces, the next burst at the next turn of the loop. */
        WRITE_SEQUENCE
    }

    /** What it was told, in order: {@code pause}, {@code resume}, {@code stop}. */
    public final List<String> events = new ArrayList<>();
    /** Fires with the bytes written by then at the first pauseProducing. */
    public final Deferred<Long> firstPause = new Deferred<>();

    private final ReactorTime reactor;
    private final Transport transport;
    private final byte[] chunk;
    private final long total;
    private final Writing writing;
    private long written;
    private long writtenAtFirstPause = -1;
    private boolean paused;
    private boolean stopped;
    private boolean finished;

    /**
     * A producer that writes {@code chunk} to {@code transport} until it has written at least
     * {@code total} bytes (whole chunks: it may write up to one chunk more), scheduling its next
     * burst on {@code reactor}. The chunk is copied once; every {@code write} is given that same
     * array, which nothing changes.
     */
    public ChunkProducer(ReactorTime reactor, Transport transport, byte[] chunk, long total, Writing writing) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.chunk = chunk.clone();
        if (this.chunk.length == 0) {
            throw new IllegalArgumentException("the chunk must not be empty");
        }
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative: " + total);
        }
        this.total = total;
        this.writing = Objects.requireNonNull(writing, "writing");
    }

    /**
     * Writes a burst now, unless paused or stopped; once the total is written, unregisters and
     * calls {@code loseConnection}. Call it once after registering; it goes on by itself.
     */
    public void produce() {
        int burst = 0;
        while (!paused && !stopped && written < total && burst < BURST) {
            if (writing == Writing.WRITE_SEQUENCE) {
                List<byte[]> pieces = new ArrayList<>();
                int piece = Math.max(1, chunk.length / 4);
                for (int at = 0; at < chunk.length; at += piece) {
                    pieces.add(Arrays.copyOfRange(chunk, at, Math.min(chunk.length, at + piece)));
                }
                transport.writeSequence(pieces);
            } else {
                transport.write(chunk);
            }
            written += chunk.length;
            burst++;
        }
        if (written >= total && !stopped) {
            stopped = true;
            finished = true;
            transport.unregisterProducer();
            transport.loseConnection();
        } else if (!paused && !stopped) {
            reactor.callLater(Duration.ZERO, this::produce);
        }
    }

    @Override
    public void pauseProducing() {
        addEvent("pause");
        paused = true;
        if (writtenAtFirstPause < 0) {
            writtenAtFirstPause = written;
            firstPause.callback(written);
        }
    }

    @Override
    public void resumeProducing() {
        addEvent("resume");
        paused = false;
        if (writing == Writing.WRITE_REENTRANT) {
            produce();
        } else {
            reactor.callLater(Duration.ZERO, this::produce);
        }
    }

    @Override
    public void stopProducing() {
        addEvent("stop");
        stopped = true;
    }

    /** The bytes written so far. */
    public long written() {
        return written;
    }

    /** The bytes written when it was first paused, or -1 if it never was. */
    public long writtenAtFirstPause() {
        return writtenAtFirstPause;
    }

    /** Whether it was paused last (and not resumed since). */
    public boolean isPaused() {
        return paused;
    }

    /** Whether it has written the total, unregistered and closed. */
    public boolean isFinished() {
        return finished;
    }

    /** Paused (for now), or done. */
    public boolean pausedOrFinished() {
        return paused || finished;
    }

    private void addEvent(String event) {
        if (events.size() >= MAX_EVENTS) {
            throw new IllegalStateException("the ChunkProducer keeps at most " + MAX_EVENTS + " events; then came " + event);
        }
        events.add(event);
    }
}
