package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.ByteBuffer;
import org.apiguardian.api.API;

/**
 * A {@link Protocol} that takes received bytes as a lent {@link ByteBuffer}, skipping the copy into
 * a new array that {@link Protocol#dataReceived} costs: for relays, proxies and other code that
 * moves bytes without keeping them. Transports that support it call {@link #bufferReceived}
 * instead of {@code dataReceived}; others (and test doubles such as {@code StringTransport} used
 * directly) call {@code dataReceived}, so a protocol implementing this should make {@code
 * dataReceived} call {@code bufferReceived(ByteBuffer.wrap(data))}.
 *
 * <p>The buffer is lent for the call only: its bytes (position to limit) may be overwritten once the
 * call returns, so copy what you keep. Writing the same buffer to a transport of the same reactor
 * with {@link DataConsumer#write(ByteBuffer)} during the call may hand it over without a copy.
 */
@API(status = STABLE, since = "0.1")
public interface BufferReceiver {

    /** Bytes arrived, from {@code data.position()} to {@code data.limit()}; lent for this call only. */
    void bufferReceived(ByteBuffer data);
}
