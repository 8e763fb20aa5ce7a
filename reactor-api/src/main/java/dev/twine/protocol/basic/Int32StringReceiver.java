package dev.twine.protocol.basic;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.protocol.Protocol;
import dev.twine.protocol.PushProducer;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A protocol that receives strings prefixed by their length as a 4-byte unsigned big-endian
 * integer: Twisted's {@code Int32StringReceiver}. Each string goes to {@link #stringReceived}.
 *
 * <p>The buffer is bounded: a prefix announcing more than {@link #maxLength()} bytes (99999
 * unless changed) goes to {@link #lengthLimitExceeded} before any of it is buffered; by default
 * that closes the connection with a {@link LengthLimitExceededException}, and nothing received
 * after it is delivered. Delivery also stops while paused.
 */
@API(status = STABLE, since = "0.1")
public abstract class Int32StringReceiver extends Protocol implements PushProducer {

    /** Twisted's default largest string. */
    public static final int DEFAULT_MAX_LENGTH = 99999;

    private static final int PREFIX = 4;

    private final ReceiveBuffer buffer = new ReceiveBuffer();
    private int maxLength = DEFAULT_MAX_LENGTH;
    private boolean paused;
    private boolean faulted;
    private boolean busyReceiving;

    /** A whole string arrived. */
    protected abstract void stringReceived(byte[] string);

    /**
     * A prefix announced {@code length} bytes, more than {@link #maxLength()}. By default closes
     * the connection with a {@link LengthLimitExceededException}.
     */
    protected void lengthLimitExceeded(long length) {
        transport().loseConnection(new LengthLimitExceededException(length, maxLength));
    }

    /** Sends {@code string} with its length prefix, in one write. */
    public void sendString(byte[] string) {
        byte[] frame = new byte[PREFIX + string.length];
        int n = string.length;
        frame[0] = (byte) (n >>> 24);
        frame[1] = (byte) (n >>> 16);
        frame[2] = (byte) (n >>> 8);
        frame[3] = (byte) n;
        System.arraycopy(string, 0, frame, PREFIX, n);
        transport().write(frame);
    }

    /** Changes the largest string accepted. */
    protected final void setMaxLength(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** The largest string accepted, in bytes. */
    public final int maxLength() {
        return maxLength;
    }

    @Override
    public void dataReceived(byte[] data) {
        if (faulted) {
            return;
        }
        buffer.append(Objects.requireNonNull(data, "data"));
        if (busyReceiving) {
            return;
        }
        busyReceiving = true;
        try {
            while (!paused && !faulted && buffer.size() >= PREFIX) {
                long length = ((buffer.at(0) & 0xffL) << 24) | ((buffer.at(1) & 0xffL) << 16)
                        | ((buffer.at(2) & 0xffL) << 8) | (buffer.at(3) & 0xffL);
                if (length > maxLength) {
                    faulted = true;
                    buffer.takeAll();
                    lengthLimitExceeded(length);
                    return;
                }
                if (buffer.size() < PREFIX + length) {
                    return;
                }
                buffer.skip(PREFIX);
                stringReceived(buffer.take((int) length));
            }
        } finally {
            busyReceiving = false;
        }
    }

    /** Stops delivering strings, and pauses the transport, until {@link #resumeProducing()}. */
    @Override
    public void pauseProducing() {
        paused = true;
        transport().pauseProducing();
    }

    /** Resumes delivery (of buffered strings first) and the transport. */
    @Override
    public void resumeProducing() {
        paused = false;
        transport().resumeProducing();
        dataReceived(new byte[0]);
    }

    /** Stops delivery for good and stops the transport. */
    @Override
    public void stopProducing() {
        paused = true;
        transport().stopProducing();
    }
}
