package dev.twine.fakes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What a fake saw of one connection, as an immutable snapshot.
 *
 * @param id the connection's number in its fake's record, from 1
 * @param peer the other end, {@code host:port}
 * @param bytesIn bytes received from the peer
 * @param bytesOut bytes sent to the peer
 * @param received the bytes received, up to {@link #CAPTURE_LIMIT} (see {@code receivedTruncated})
 * @param receivedTruncated whether more was received than kept
 * @param writes the size of each write the fake made, in order (up to 10,000)
 * @param writeTimes when each write was made, from the moment the connection opened
 * @param ending how it ended, or {@link Ending#OPEN}
 * @param peerHalfClosed whether the peer shut its sending side (end of stream) while the fake still could send
 * @param faults what went wrong, or what was done to it on purpose
 */
public record ConnectionRecord(int id, String peer, long bytesIn, long bytesOut, byte[] received, boolean receivedTruncated,
        List<Integer> writes, List<Duration> writeTimes, Ending ending, boolean peerHalfClosed, List<Fault> faults) {

    /** The most bytes kept per connection. */
    public static final int CAPTURE_LIMIT = 1 << 20;

    /** Copies the arrays and lists. */
    public ConnectionRecord {
        received = received.clone();
        writes = List.copyOf(writes);
        writeTimes = List.copyOf(writeTimes);
        faults = List.copyOf(faults);
    }

    /** The received bytes decoded as UTF-8. */
    public String receivedText() {
        return new String(received, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] received() {
        return received.clone();
    }
}
