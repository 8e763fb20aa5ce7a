package dev.twine.reactor.nio;

import dev.twine.protocol.ConnectionLost;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS for one {@link StreamConnection}, on an {@link SSLEngine}: the connection's {@link ByteStage}
 * once TLS is started. Encrypts what the protocol writes (holding it back until the handshake is
 * done), decrypts what arrives and gives the plain bytes to the protocol, and answers the
 * handshake. A TLS error or the protocol's failure on the way in is returned as the reason to
 * close. Delegated tasks run on the reactor thread.
 */
final class TlsSession implements ByteStage {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final StreamConnection connection;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();
    private boolean handshakeDone;
    private boolean outboundClosed;
    private boolean inboundClosed;

    TlsSession(SSLEngine engine, StreamConnection connection) {
        this.engine = engine;
        this.connection = connection;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(packet);
    }

    /** Starts the handshake; returns the reason to close if TLS failed at once, else null. */
    Throwable begin() {
        try {
            engine.beginHandshake();
            progress();
            return null;
        } catch (SSLException e) {
            return connection.tlsFailed(e);
        }
    }

    /** Encrypts and sends {@code plain}, or holds a copy until the handshake is done. */
    @Override
    public void write(ByteBuffer plain) {
        if (outboundClosed) {
            return;
        }
        if (!handshakeDone) {
            ByteBuffer copy = ByteBuffer.allocate(plain.remaining());
            copy.put(plain).flip();
            held.add(copy);
            return;
        }
        try {
            wrap(plain);
        } catch (SSLException e) {
            connection.tlsFailedSoon(e);
        }
    }

    /**
     * Takes encrypted bytes from the socket; decrypted ones go to the protocol. A TLS error sends
     * the peer its alert at once and breaks the connection's output.
     */
    @Override
    public Throwable received(ByteBuffer encrypted) {
        try {
            ensureRoom(encrypted.remaining());
            netIn.put(encrypted);
            return unwrapAll();
        } catch (SSLException e) {
            sendAlert();
            connection.sendNowBeforeClosing(); // the alert would otherwise be dropped with the queue at connectionLost
            return connection.tlsFailed(e);
        }
    }

    /** The socket reached end of stream: null if the peer closed TLS properly, else the reason. */
    @Override
    public Throwable endOfInput() {
        if (inboundClosed) {
            return null;
        }
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            return new ConnectionLost("TLS connection closed by the peer without close_notify", e);
        }
        return null;
    }

    /** After an error: sends the alert the engine has for the peer, if any. */
    private void sendAlert() {
        try {
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrapOnce(EMPTY);
            }
        } catch (SSLException | RuntimeException e) {
            // The connection is closing anyway.
        }
    }

    /** Whether the handshake is done: until then what the protocol writes is held back. */
    @Override
    public boolean isEstablished() {
        return handshakeDone;
    }

    /** Sends close_notify, the first time only. */
    @Override
    public void closeOutput() {
        if (outboundClosed) {
            return;
        }
        outboundClosed = true;
        if (connection.omitsCloseNotifyForTests()) {
            return;
        }
        engine.closeOutbound();
        try {
            wrap(EMPTY);
        } catch (SSLException e) {
            // Closing anyway.
        }
    }

    /** Decrypts what is buffered; returns the protocol's failure if it threw on decrypted bytes. */
    private Throwable unwrapAll() throws SSLException {
        netIn.flip();
        try {
            while (netIn.hasRemaining() && !inboundClosed) {
                appIn.clear();
                SSLEngineResult result = engine.unwrap(netIn, appIn);
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW:
                        return null;
                    case BUFFER_OVERFLOW:
                        appIn = ByteBuffer.allocate(appIn.capacity() * 2);
                        continue;
                    case CLOSED:
                        inboundClosed = true;
                        break;
                    default:
                        break;
                }
                Throwable why = deliverAppIn();
                if (why != null) {
                    return why;
                }
                if (!handshakeDone || result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    progress();
                }
                if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                        && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                    return null;
                }
            }
            return null;
        } finally {
            netIn.compact();
        }
    }

    private Throwable deliverAppIn() {
        appIn.flip();
        if (!appIn.hasRemaining()) {
            return null;
        }
        byte[] data = new byte[appIn.remaining()];
        appIn.get(data);
        return connection.deliver(data);
    }

    /** Answers the handshake until it needs bytes from the peer or is done. */
    private void progress() throws SSLException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    break;
                case NEED_WRAP:
                    wrapOnce(EMPTY);
                    if (engine.isOutboundDone()) {
                        return;
                    }
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    return;
                case FINISHED:
                case NOT_HANDSHAKING:
                default:
                    if (!handshakeDone) {
                        handshakeDone = true;
                        flushHeld();
                        connection.tlsHandshakeDone();
                    }
                    return;
            }
        }
    }

    private void flushHeld() throws SSLException {
        ByteBuffer plain;
        while ((plain = held.poll()) != null) {
            wrap(plain);
        }
    }

    private void wrap(ByteBuffer plain) throws SSLException {
        do {
            SSLEngineResult result = wrapOnce(plain);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                return;
            }
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                progress();
            }
        } while (plain.hasRemaining());
    }

    private SSLEngineResult wrapOnce(ByteBuffer plain) throws SSLException {
        while (true) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(plain, netOut);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining()) {
                connection.sendRaw(netOut);
            }
            return result;
        }
    }

    private void ensureRoom(int incoming) {
        if (netIn.remaining() < incoming) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + incoming + engine.getSession().getPacketBufferSize());
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
    }
}
