package dev.twine.reactor.nio;

import java.nio.ByteBuffer;

/**
 * What a {@link StreamConnection}'s bytes pass through between its socket and its protocol:
 * nothing (the connection's plain stage) or TLS ({@link TlsSession}). Inbound, a stage turns the
 * socket's bytes into the protocol's and delivers them; outbound, it turns the protocol's bytes
 * into the socket's and queues them on the connection. startTLS replaces the plain stage by a TLS
 * one. Errors met on the way in are returned, not thrown. Used on the reactor thread only.
 */
interface ByteStage {

    /**
     * Takes bytes read from the socket (consuming them) and delivers to the protocol what they
     * hold; returns the reason to close the connection, or null to go on.
     */
    Throwable received(ByteBuffer raw);

    /**
     * The socket reached end of stream: returns null if the stage's input ended properly, else the
     * reason to close (with TLS: the peer closed without close_notify).
     */
    Throwable endOfInput();

    /** Sends the protocol's bytes (consuming them), or holds them until {@link #isEstablished()}. */
    void write(ByteBuffer plain);

    /** Sends the protocol's bytes; the array is the protocol's, not to be kept. */
    default void write(byte[] plain) {
        write(ByteBuffer.wrap(plain));
    }

    /** Sends the protocol's buffers, in order. */
    default void write(ByteBuffer[] plain) {
        for (ByteBuffer buffer : plain) {
            write(buffer);
        }
    }

    /**
     * Whether what is written now goes on its way: false while TLS holds it back until its
     * handshake is done. A close waits for this, so that what was written goes first.
     */
    boolean isEstablished();

    /**
     * Ends the stage's output before the socket's is closed or shut down: TLS queues its
     * close_notify the first time; later calls, and the plain stage, do nothing.
     */
    void closeOutput();
}
