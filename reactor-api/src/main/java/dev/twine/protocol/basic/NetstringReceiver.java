package dev.twine.protocol.basic;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A protocol that receives netstrings ({@code <length>:<payload>,}, the length in decimal ASCII
 * with no leading zeros): Twisted's {@code NetstringReceiver}, the framing of the tutorial's
 * transform server. Each payload goes to {@link #stringReceived}.
 *
 * <p>The buffer is bounded: a length above {@link #maxLength()} (99999 unless changed) is refused
 * as soon as its digits show it, before any payload is buffered. Any malformed input (a
 * non-digit, a leading zero, a length too long, a missing comma) closes the connection with a
 * {@link NetstringParseException} saying what was wrong, and nothing received after it is
 * delivered. Frames that follow a good frame in the same read are delivered, even if the
 * protocol has started closing the connection (as Twisted does).
 */
@API(status = STABLE, since = "0.1")
public abstract class NetstringReceiver extends Protocol {

    /** Twisted's default largest payload. */
    public static final int DEFAULT_MAX_LENGTH = 99999;

    private final ReceiveBuffer buffer = new ReceiveBuffer();
    private int maxLength = DEFAULT_MAX_LENGTH;
    /** The payload length announced by the frame being read, or -1 while reading a length. */
    private int expected = -1;
    private boolean broken;

    /** A whole payload arrived. */
    protected abstract void stringReceived(byte[] payload);

    /** Sends {@code payload} as one netstring. */
    public void sendString(byte[] payload) {
        byte[] prefix = (payload.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + payload.length + 1];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(payload, 0, frame, prefix.length, payload.length);
        frame[frame.length - 1] = ',';
        transport().write(frame);
    }

    /** Changes the largest payload accepted. */
    protected final void setMaxLength(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** The largest payload accepted, in bytes. */
    public final int maxLength() {
        return maxLength;
    }

    /** Whether malformed input was received (and the connection is being closed). */
    public final boolean isBroken() {
        return broken;
    }

    @Override
    public void dataReceived(byte[] data) {
        if (broken) {
            return;
        }
        buffer.append(Objects.requireNonNull(data, "data"));
        try {
            while (!broken && !buffer.isEmpty()) {
                if (expected < 0) {
                    if (!readLength()) {
                        return;
                    }
                } else {
                    if (buffer.size() <= expected) { // the payload and its comma; not expected + 1, which overflows
                        return;
                    }
                    if (buffer.at(expected) != ',') {
                        throw new NetstringParseException("netstring of " + expected
                                + " bytes is not terminated by a comma (got " + describe(buffer.at(expected)) + ")");
                    }
                    byte[] payload = buffer.take(expected);
                    buffer.skip(1);
                    expected = -1;
                    stringReceived(payload);
                }
            }
        } catch (NetstringParseException e) {
            broken = true;
            buffer.takeAll();
            transport().loseConnection(e);
        }
    }

    /** Reads the length prefix if it is all there; returns whether it was. */
    private boolean readLength() throws NetstringParseException {
        int maxDigits = String.valueOf(maxLength).length();
        long length = 0;
        int size = buffer.size();
        for (int i = 0; i < size; i++) {
            byte b = buffer.at(i);
            if (b == ':') {
                if (i == 0) {
                    throw new NetstringParseException("netstring has no length before ':'");
                }
                buffer.skip(i + 1);
                expected = (int) length;
                return true;
            }
            if (b < '0' || b > '9') {
                throw new NetstringParseException("netstring does not start with a length: found " + describe(b));
            }
            if (i == 1 && buffer.at(0) == '0') {
                throw new NetstringParseException("netstring length has a leading zero");
            }
            length = length * 10 + (b - '0');
            if (i + 1 > maxDigits || length > maxLength) {
                throw new NetstringParseException("netstring is longer than the maximum of " + maxLength + " bytes");
            }
        }
        return false;
    }

    private static String describe(byte b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }
}
