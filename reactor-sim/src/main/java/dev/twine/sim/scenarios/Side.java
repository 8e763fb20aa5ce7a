package dev.twine.sim.scenarios;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.apiguardian.api.API;

/**
 * What one side of a scenario saw, normalised for slicing and timing: consecutive reads are merged
 * into one {@code recv} event (its text, or its length and CRC-32 when long), so that two runs
 * whose bytes were sliced and timed differently give the same sequence.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Side {
    private final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean made;
    private boolean done;

    /** Records an event (after the reads before it). */
    public void add(String event) {
        flush();
        events.add(event);
    }

    /** Records bytes read. */
    public void recv(byte[] data) {
        pending.writeBytes(data);
    }

    void made() {
        made = true;
        add("made");
    }

    void done(String event) {
        add(event);
        done = true;
    }

    /** Whether the side's connection was made. */
    public boolean isMade() {
        return made;
    }

    /** Whether the side has finished: lost its connection, or failed to connect. */
    public boolean isDone() {
        return done;
    }

    /** The events, normalised. */
    public List<String> events() {
        flush();
        return List.copyOf(events);
    }

    private void flush() {
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        pending.reset();
        if (bytes.length <= 40) {
            events.add("recv '" + new String(bytes, StandardCharsets.ISO_8859_1) + "'");
        } else {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            events.add("recv " + bytes.length + " bytes crc=" + Long.toHexString(crc.getValue()));
        }
    }
}
