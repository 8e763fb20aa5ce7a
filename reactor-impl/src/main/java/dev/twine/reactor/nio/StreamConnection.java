package dev.twine.reactor.nio;

import dev.twine.defer.Failure;
import dev.twine.protocol.BufferReceiver;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.HalfCloseableProtocol;
import dev.twine.protocol.Producer;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.protocol.TlsTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.reactor.support.ProducerRegistration;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One stream connection (TCP or Unix domain socket, optionally TLS) and its transport.
 *
 * <p>Writes go straight to the socket when nothing is queued before them; what the socket does
 * not take is copied into this connection's queue and sent when it becomes writable. Closing and
 * errors found while writing are acted on at the next iteration, never inside the protocol's
 * call. With TLS, the protocol's bytes pass through a {@link TlsSession} on the way in and out.
 */
final class StreamConnection implements TlsTransport, ReadDescriptor, WriteDescriptor {

    private final NioReactor reactor;
    private final SocketChannel channel;
    private final Protocol protocol;
    private final StreamConnector connector;
    private final boolean tcp;
    /** The channel's own addresses, kept so that getHost()/getPeer() answer after the channel is closed. */
    private final java.net.SocketAddress localAddress;
    private final java.net.SocketAddress remoteAddress;
    /** Made from the above on first use: an idle connection nobody asks about holds neither. */
    private Address host;
    private Address peer;
    /** "client", or "server" (then the log prefix names the peer's host, as Twisted's does). */
    private final String side;

    private final OutputChunks pending;
    private boolean writing;
    private boolean flushScheduled;
    private boolean readingPausedByProtocol;
    private boolean disconnecting;
    private Throwable closeReason;
    private boolean writeCloseRequested;
    private boolean writeShutDown;
    private boolean readShutDown;
    private boolean lost;
    private boolean broken;

    private Producer producer;
    private boolean streaming;
    private boolean producerPaused;

    private TlsSession tls;

    StreamConnection(NioReactor reactor, SocketChannel channel, Protocol protocol, StreamConnector connector, boolean tcp,
            String side) throws IOException {
        this.reactor = reactor;
        this.channel = channel;
        this.protocol = protocol;
        this.connector = connector;
        this.tcp = tcp;
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
        this.side = side;
        this.pending = new OutputChunks(reactor.outputPool);
    }

    /** Starts reading and tells the protocol it is connected; with {@code tls}, starts TLS first. */
    void start(SSLContext tlsContext, boolean tlsClient, String tlsPeerName) {
        if (tlsContext != null) {
            startTls(tlsContext, tlsClient, tlsPeerName);
        }
        reactor.connections.add(this);
        reactor.addReader(this);
        try {
            protocol.makeConnection(this);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + logPrefix() + " (connectionMade):");
            failSoon(e);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Reading

    @Override
    public Throwable doRead() {
        Throwable why = readAvailable();
        if (why == null && flushScheduled) {
            flush(); // answer now rather than after every other ready connection
        }
        return why;
    }

    private Throwable readAvailable() {
        for (int round = 0; round < 16; round++) {
            ByteBuffer buffer = reactor.readBuffer(); // again each round: a protocol may have taken it
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                return new ConnectionLost(e);
            }
            if (n < 0) {
                return endOfInput();
            }
            if (n == 0) {
                return null;
            }
            buffer.flip();
            Throwable why = received(buffer);
            if (why != null) {
                return why;
            }
            if (lost || disconnecting || readingPausedByProtocol || n < OutputChunks.CHUNK_SIZE) {
                return null;
            }
        }
        return null;
    }

    private Throwable received(ByteBuffer bytes) {
        if (tls != null) {
            try {
                tls.received(bytes);
                return null;
            } catch (SSLException e) {
                tls.sendAlert();
                sendNowBeforeClosing(); // the alert would otherwise be dropped with the queue at connectionLost
                return tlsFailed(e);
            } catch (ProtocolCallbackFailed e) {
                return e.getCause();
            }
        }
        if (protocol instanceof BufferReceiver receiver) {
            if (lost || readShutDown) {
                return null;
            }
            try {
                receiver.bufferReceived(bytes);
                return null;
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (bufferReceived):");
                return e;
            }
        }
        byte[] data = new byte[bytes.remaining()];
        bytes.get(data);
        return deliver(data);
    }

    /** Gives plain bytes to the protocol; returns the reason to close if it threw. */
    Throwable deliver(byte[] data) {
        if (lost || readShutDown || disconnecting) {
            return null;
        }
        try {
            protocol.dataReceived(data);
            return null;
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + logPrefix() + " (dataReceived):");
            return e;
        }
    }

    private Throwable endOfInput() {
        if (tls != null) {
            Throwable why = tls.endOfInput();
            if (why != null) {
                return why;
            }
        }
        readShutDown = true;
        reactor.removeReader(this);
        if (protocol instanceof HalfCloseableProtocol halfCloseable) {
            try {
                halfCloseable.readConnectionLost();
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (readConnectionLost):");
                return e;
            }
            return writeShutDown ? new ConnectionDone() : null;
        }
        return new ConnectionDone();
    }

    // ----------------------------------------------------------------------------------------
    // Writing

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (!canWrite() || data.length == 0) {
            return;
        }
        if (tls != null) {
            tls.write(ByteBuffer.wrap(data));
        } else {
            sendRaw(ByteBuffer.wrap(data));
        }
    }

    @Override
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (!canWrite() || !data.hasRemaining()) {
            data.position(data.limit());
            return;
        }
        if (tls != null) {
            tls.write(data);
        } else if (reactor.isReadBuffer(data)) {
            // The buffer lent to bufferReceived, written back: take it over instead of copying.
            reactor.readBufferTaken();
            pending.addOwned(data);
            queued();
        } else {
            sendRaw(data);
        }
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        if (!canWrite()) {
            return;
        }
        ByteBuffer[] buffers = new ByteBuffer[data.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(Objects.requireNonNull(data.get(i), "data"));
        }
        if (tls != null) {
            for (ByteBuffer buffer : buffers) {
                tls.write(buffer);
            }
        } else {
            sendRaw(buffers);
        }
    }

    private boolean canWrite() {
        return !lost && !writeShutDown && !broken;
    }

    /**
     * Sends bytes as they are (already encrypted, or plain without TLS): they are copied into this
     * connection's output chunks, and the reactor writes them at the end of the current pass of
     * its loop, with every other write made meanwhile, in one gathering write.
     */
    void sendRaw(ByteBuffer... data) {
        if (lost || broken) {
            return;
        }
        for (ByteBuffer buffer : data) {
            pending.add(buffer);
        }
        queued();
    }

    /** After bytes were added to the output: schedule the flush, and pause a streaming producer past the mark. */
    private void queued() {
        if (!writing && !flushScheduled) {
            flushScheduled = true;
            reactor.scheduleFlush(this);
        }
        if (streaming && producer != null && !producerPaused && pending.size() > NioReactor.HIGH_WATER_MARK) {
            producerPaused = true;
            callProducer(((PushProducer) producer)::pauseProducing, "pauseProducing");
        }
    }

    /** Called by the reactor at the end of a pass: writes what the socket takes now. */
    void flush() {
        flushScheduled = false;
        if (lost || broken || writing) {
            return;
        }
        try {
            pending.writeTo(channel);
        } catch (IOException e) {
            writeFailed(e);
            return;
        }
        if (!pending.isEmpty() || (producer != null && (!streaming || producerPaused))) {
            // Wait for the socket to drain; then doWrite asks a pull producer for more, or
            // resumes a paused streaming one.
            startWriting();
        }
    }

    /** Writes what is queued as far as the socket takes it now, without waiting: the last words before a close. */
    private void sendNowBeforeClosing() {
        try {
            pending.writeTo(channel);
        } catch (IOException e) {
            // Closing anyway; the peer learns of it from the close.
        }
    }

    private void writeFailed(IOException e) {
        broken = true;
        pending.clear();
        failSoon(new ConnectionLost(e));
    }

    /** Closes with {@code why} at the next iteration, not inside the current call. */
    private void failSoon(Throwable why) {
        reactor.runSoon(() -> {
            if (!lost) {
                reactor.disconnect(this, why);
            }
        });
    }

    @Override
    public Throwable doWrite() {
        if (lost) {
            return null;
        }
        try {
            pending.writeTo(channel);
        } catch (IOException e) {
            pending.clear();
            return new ConnectionLost(e);
        }
        if (!pending.isEmpty()) {
            return null; // the socket is full; wait to be writable again
        }
        stopWriting();
        if (producer != null && (!streaming || producerPaused)) {
            producerPaused = false;
            if (streaming) {
                callProducer(((PushProducer) producer)::resumeProducing, "resumeProducing");
                if (reactor.outputPool.faultResumeForgetsPause) {
                    producerPaused = false; // the fault a broken reactor of the conformance suite injects
                }
            } else {
                callProducer(((PullProducer) producer)::resumeProducing, "resumeProducing");
            }
            return null;
        }
        if ((disconnecting || writeCloseRequested) && tls != null && !tls.isHandshakeDone()) {
            return null; // tlsHandshakeDone() comes back here once the held bytes are on their way
        }
        if (disconnecting) {
            if (tls != null && !tls.isOutboundClosed()) {
                tls.closeOutbound();
                if (!pending.isEmpty()) {
                    startWriting(); // send close_notify, then come back here to close
                    return null;
                }
            }
            return closeReason;
        }
        if (writeCloseRequested && !writeShutDown) {
            return shutDownOutput();
        }
        return null;
    }

    private Throwable shutDownOutput() {
        if (tls != null && !tls.isOutboundClosed()) {
            tls.closeOutbound();
            if (!pending.isEmpty()) {
                startWriting(); // send close_notify, then come back here to shut down
                return null;
            }
        }
        writeShutDown = true;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            return new ConnectionLost(e);
        }
        if (protocol instanceof HalfCloseableProtocol halfCloseable) {
            try {
                halfCloseable.writeConnectionLost();
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (writeConnectionLost):");
                return e;
            }
        }
        return readShutDown ? new ConnectionDone() : null;
    }

    private void startWriting() {
        if (!writing && !lost) {
            writing = true;
            reactor.addWriter(this);
        }
    }

    private void stopWriting() {
        if (writing) {
            writing = false;
            reactor.removeWriter(this);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Closing

    @Override
    public void loseConnection() {
        loseConnection(new ConnectionDone());
    }

    @Override
    public void loseConnection(Throwable reason) {
        Objects.requireNonNull(reason, "reason");
        if (lost || disconnecting) {
            return;
        }
        disconnecting = true;
        closeReason = reason;
        if (tls == null || tls.isHandshakeDone()) {
            reactor.removeReader(this);
        } // else keep reading until the handshake is done: what was written goes out first, encrypted
        startWriting();
    }

    @Override
    public void abortConnection() {
        if (lost || broken) {
            return;
        }
        broken = true;
        disconnecting = true;
        pending.clear();
        reactor.removeReader(this);
        stopWriting();
        reactor.runSoon(() -> {
            if (!lost) {
                reactor.disconnect(this, new ConnectionAborted());
            }
        });
    }

    @Override
    public void loseWriteConnection() {
        if (lost || disconnecting || writeCloseRequested) {
            return;
        }
        writeCloseRequested = true;
        startWriting();
    }

    @Override
    public boolean isDisconnecting() {
        return disconnecting;
    }

    @Override
    public void connectionLost(Failure reason) {
        if (lost) {
            return;
        }
        lost = true;
        reactor.connections.remove(this);
        writing = false;
        pending.clear();
        closeChannel(reason.check(ConnectionAborted.class) != null);
        Producer registered = producer;
        producer = null;
        if (registered != null) {
            callProducer(registered::stopProducing, "stopProducing");
        }
        try {
            protocol.connectionLost(reason);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + logPrefix() + " (connectionLost):");
        }
        if (connector != null) {
            connector.connectionClosed(reason);
        }
    }

    private void closeChannel(boolean reset) {
        try {
            if (reset && tcp) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Closing matters more than how.
        }
        try {
            channel.close();
        } catch (IOException e) {
            reactor.logError(e, "Closing " + logPrefix() + " failed:");
        }
    }

    // ----------------------------------------------------------------------------------------
    // Producers

    @Override
    public void registerProducer(Producer newProducer, boolean isStreaming) {
        ProducerRegistration.check(producer, newProducer, isStreaming);
        if (lost) {
            newProducer.stopProducing();
            return;
        }
        producer = newProducer;
        streaming = isStreaming;
        producerPaused = false;
        if (!isStreaming) {
            ((PullProducer) newProducer).resumeProducing();
        }
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        producerPaused = false;
        if (!lost && disconnecting) {
            startWriting();
        }
    }

    private void callProducer(Runnable call, String what) {
        try {
            call.run();
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in the producer of " + logPrefix() + " (" + what + "):");
        }
    }

    @Override
    public void pauseProducing() {
        readingPausedByProtocol = true;
        reactor.removeReader(this);
    }

    @Override
    public void resumeProducing() {
        readingPausedByProtocol = false;
        if (!lost && !disconnecting && !readShutDown) {
            reactor.addReader(this);
        }
    }

    @Override
    public void stopProducing() {
        loseConnection();
    }

    // ----------------------------------------------------------------------------------------
    // Socket options and addresses

    @Override
    public void setTcpNoDelay(boolean enabled) {
        setOption(StandardSocketOptions.TCP_NODELAY, enabled);
    }

    @Override
    public boolean getTcpNoDelay() {
        return getOption(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setTcpKeepAlive(boolean enabled) {
        setOption(StandardSocketOptions.SO_KEEPALIVE, enabled);
    }

    @Override
    public boolean getTcpKeepAlive() {
        return getOption(StandardSocketOptions.SO_KEEPALIVE);
    }

    private void setOption(java.net.SocketOption<Boolean> option, boolean value) {
        if (!tcp || lost) {
            return; // Unix domain sockets have no TCP options
        }
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not set " + option.name(), e);
        }
    }

    private boolean getOption(java.net.SocketOption<Boolean> option) {
        if (!tcp || lost) {
            return false;
        }
        try {
            return channel.getOption(option);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read " + option.name(), e);
        }
    }

    @Override
    public Address getPeer() {
        if (peer == null) {
            peer = Addresses.of(remoteAddress, "TCP");
        }
        return peer;
    }

    @Override
    public Address getHost() {
        if (host == null) {
            host = Addresses.of(localAddress, "TCP");
        }
        return host;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    /** Made when asked (for an error message, mostly), not kept: a connection's memory is for its bytes. */
    @Override
    public String logPrefix() {
        String prefix = protocol.getClass().getName() + "," + side;
        return side.equals("server") ? prefix + "," + hostText(getPeer(), "unix") : prefix;
    }

    @Override
    public String toString() {
        return "<" + logPrefix() + " " + getHost() + " -> " + getPeer() + ">";
    }

    // ----------------------------------------------------------------------------------------
    // TLS

    @Override
    public void startTLS(SSLContext context, boolean client) {
        Objects.requireNonNull(context, "context");
        if (tls != null) {
            throw new IllegalStateException("TLS is already started on " + this);
        }
        if (lost) {
            return;
        }
        startTls(context, client, peerHostText());
    }

    @Override
    public boolean isTlsStarted() {
        return tls != null;
    }

    private void startTls(SSLContext context, boolean client, String peerName) {
        Address peer = getPeer();
        int peerPort = peer instanceof IPv4Address v4 ? v4.port() : peer instanceof IPv6Address v6 ? v6.port() : -1;
        SSLEngine engine = peerName == null ? context.createSSLEngine() : context.createSSLEngine(peerName, peerPort);
        engine.setUseClientMode(client);
        if (client && peerName != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        tls = new TlsSession(engine, this);
        try {
            tls.begin();
        } catch (SSLException e) {
            failSoon(tlsFailed(e));
        }
    }

    private String peerHostText() {
        return hostText(getPeer(), null);
    }

    /** The host of an IP address as text; {@code otherwise} for any other address. */
    private static String hostText(Address address, String otherwise) {
        if (address instanceof IPv4Address v4) {
            return v4.host();
        }
        if (address instanceof IPv6Address v6) {
            return v6.host();
        }
        return otherwise;
    }

    /** The TLS handshake finished and what was held back is encrypted: a close waiting for it may go ahead. */
    void tlsHandshakeDone() {
        if (disconnecting || writeCloseRequested) {
            if (disconnecting) {
                reactor.removeReader(this);
            }
            startWriting();
        }
    }

    /** Whether the reactor's test-only fault is on: TLS closes without close_notify. */
    boolean omitsCloseNotifyForTests() {
        return reactor.omitCloseNotifyForTests;
    }

    void tlsFailedSoon(SSLException e) {
        failSoon(tlsFailed(e));
    }

    /** A TLS error: the reason the connection closes, naming it. */
    private Throwable tlsFailed(SSLException e) {
        broken = true;
        return new ConnectionLost("TLS failed: " + e.getMessage(), e);
    }

    /** Thrown through the TLS session when the protocol threw while receiving decrypted bytes. */
    static final class ProtocolCallbackFailed extends RuntimeException {
        ProtocolCallbackFailed(Throwable cause) {
            super(null, cause, false, false);
        }
    }
}
