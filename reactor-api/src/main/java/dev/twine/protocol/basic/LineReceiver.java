package dev.twine.protocol.basic;

import static org.apiguardian.api.API.Status.STABLE;

import dev.twine.protocol.Protocol;
import dev.twine.protocol.PushProducer;
import dev.twine.protocol.Transport;
import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A protocol that receives lines: Twisted's {@code LineReceiver}. Bytes are split at the
 * delimiter ({@code \r\n} unless changed) and each line, without it, goes to {@link
 * #lineReceived}. In raw mode ({@link #setRawMode()}) bytes go to {@link #rawDataReceived} as they
 * come.
 *
 * <p>The buffer is bounded: a line longer than {@link #maxLength()} (16384 bytes unless changed)
 * goes to {@link #lineLengthExceeded}, which closes the connection with a {@link
 * LineLengthExceededException}; nothing received after that is delivered. Delivery also stops
 * once the transport is closing, or while this receiver is paused.
 */
@API(status = STABLE, since = "0.1")
public abstract class LineReceiver extends Protocol implements PushProducer {

    /** Twisted's default largest line. */
    public static final int DEFAULT_MAX_LENGTH = 16384;

    private static final byte[] CRLF = {'\r', '\n'};

    private final ReceiveBuffer buffer = new ReceiveBuffer();
    private byte[] delimiter = CRLF;
    private int maxLength = DEFAULT_MAX_LENGTH;
    private boolean lineMode = true;
    private boolean paused;
    private boolean busyReceiving;
    private boolean faulted;
    /** Where the delimiter search resumes: bytes before it are known not to start one. */
    private int scanned;

    /** A whole line arrived, without its delimiter. */
    protected abstract void lineReceived(byte[] line);

    /** In raw mode, bytes arrived. Override to use raw mode; the default refuses. */
    protected void rawDataReceived(byte[] data) {
        throw new UnsupportedOperationException(getClass().getName() + " switched to raw mode but does not override rawDataReceived");
    }

    /**
     * A line longer than {@link #maxLength()} arrived ({@code line} holds what was buffered). By
     * default closes the connection with a {@link LineLengthExceededException}.
     */
    protected void lineLengthExceeded(byte[] line) {
        transport().loseConnection(new LineLengthExceededException(line.length, maxLength));
    }

    /** Sends {@code line} followed by the delimiter, in one write. */
    public void sendLine(byte[] line) {
        byte[] framed = Arrays.copyOf(line, line.length + delimiter.length);
        System.arraycopy(delimiter, 0, framed, line.length, delimiter.length);
        transport().write(framed);
    }

    /** Changes the delimiter (for example to {@code "\n"}). */
    protected final void setDelimiter(byte[] delimiter) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("the delimiter must not be empty");
        }
        this.delimiter = delimiter.clone();
        scanned = 0;
    }

    /** The delimiter. */
    public final byte[] delimiter() {
        return delimiter.clone();
    }

    /** Changes the longest line accepted. */
    protected final void setMaxLength(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** The longest line accepted, in bytes. */
    public final int maxLength() {
        return maxLength;
    }

    /** From now on, deliver bytes to {@link #rawDataReceived} as they come. */
    public final void setRawMode() {
        lineMode = false;
    }

    /**
     * Back to lines; {@code extra} (bytes the caller took in raw mode but that belong to lines) is
     * processed first.
     */
    public final void setLineMode(byte[] extra) {
        lineMode = true;
        if (extra != null && extra.length > 0) {
            dataReceived(extra);
        }
    }

    /** Removes and returns whatever is buffered. */
    public final byte[] clearLineBuffer() {
        scanned = 0;
        return buffer.takeAll();
    }

    @Override
    public void dataReceived(byte[] data) {
        if (faulted) {
            return;
        }
        buffer.append(Objects.requireNonNull(data, "data"));
        if (busyReceiving) {
            return; // a callback of ours re-entered; the loop below will reach these bytes
        }
        busyReceiving = true;
        try {
            deliver();
        } finally {
            busyReceiving = false;
        }
    }

    private void deliver() {
        while (!buffer.isEmpty() && !paused && !faulted) {
            if (!lineMode) {
                scanned = 0; // the bytes searched so far go out raw; a later line is searched from its start
                rawDataReceived(buffer.takeAll());
                continue;
            }
            int at = buffer.indexOf(delimiter, scanned);
            if (at < 0) {
                if (buffer.size() >= (long) maxLength + delimiter.length) { // long: a limit near Integer.MAX_VALUE
                    exceeded(buffer.takeAll());
                } else {
                    scanned = Math.max(0, buffer.size() - delimiter.length + 1);
                }
                return;
            }
            scanned = 0;
            if (at > maxLength) {
                exceeded(buffer.takeAll());
                return;
            }
            byte[] line = buffer.take(at);
            buffer.skip(delimiter.length);
            lineReceived(line);
            Transport transport = transport();
            if (transport != null && transport.isDisconnecting()) {
                return;
            }
        }
    }

    private void exceeded(byte[] line) {
        faulted = true;
        scanned = 0;
        lineLengthExceeded(line);
    }

    /** Stops delivering lines, and pauses the transport, until {@link #resumeProducing()}. */
    @Override
    public void pauseProducing() {
        paused = true;
        transport().pauseProducing();
    }

    /** Resumes delivery (of buffered lines first) and the transport. */
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
