package dev.twine.fakes;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link FakeClient} saw, as an immutable snapshot.
 *
 * @param target where it connected, {@code host:port}
 * @param connectError why it could not connect ("Connection refused", …), or {@code null}
 * @param bytesSent bytes it sent
 * @param bytesReceived bytes it received
 * @param received the bytes received, up to {@link ConnectionRecord#CAPTURE_LIMIT}
 * @param ending how the connection ended, from the client's side ({@link Ending#CLOSED_BY_PEER}: the
 *     server closed first; {@link Ending#RESET_BY_PEER}: the server reset it)
 * @param serverHalfClosed whether the server sent end of stream
 * @param timedOut whether the client gave up waiting and closed
 * @param finished whether the client is done (its script ran and the connection is closed)
 */
public record ClientRecord(String target, String connectError, long bytesSent, long bytesReceived, byte[] received,
        Ending ending, boolean serverHalfClosed, boolean timedOut, boolean finished) {

    /** Copies the bytes. */
    public ClientRecord {
        received = received.clone();
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
