package dev.twine.reactor.netty;

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
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.support.LogPrefixes;
import dev.twine.reactor.support.ProducerRegistration;
import dev.twine.reactor.support.TlsEngines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One stream connection, TCP or Unix domain socket: the transport its protocol writes to, and the
 * last handler of its Netty channel's pipeline, which turns the channel's events into the
 * protocol's.
 *
 * <p>States, in order: open; disconnecting ({@code loseConnection} asked: no more reading, the
 * close waits for what was written and for a registered producer to unregister); lost ({@code
 * connectionLost} delivered; everything after is ignored). Each direction may also be shut on its
 * own (half-close) while open.
 *
 * <p>Writes go into the channel's outbound buffer at once and are flushed once per turn of the
 * loop (and at the end of each read batch). A streaming producer is paused when the channel stops
 * being writable (its outbound buffer passes {@link #HIGH_WATER_MARK}) and resumed when it drains
 * to {@link #LOW_WATER_MARK}; {@code pauseProducing} on the transport turns the channel's
 * autoRead off.
 *
 * <p>TLS ({@code listenSSL}, {@code connectSSL}, {@code startTLS}) is Netty's {@link SslHandler} at
 * the head of the pipeline: it encrypts what passes it on the way out (holding it back until the
 * handshake is done) and decrypts on the way in. What this class adds is Twisted's reading of the
 * ends: the peer's close_notify before its end of stream is a clean close, an end of stream without
 * it a truncation ({@link ConnectionLost}); a failed handshake is a {@link ConnectionLost} naming
 * TLS and caused by the {@link SSLException}; an abort closes the socket under the handler, without
 * close_notify.
 */
final class StreamConnection extends ChannelInboundHandlerAdapter implements TlsTransport, ReadDescriptor {
    /** Bytes queued above which a streaming producer is paused (Twisted's {@code bufferSize}). */
    static final int HIGH_WATER_MARK = 64 * 1024;
    /** Bytes queued at or below which a paused streaming producer is resumed. */
    static final int LOW_WATER_MARK = 32 * 1024;

    private final NettyReactor reactor;
    /** A TCP channel (NioSocketChannel) or a Unix domain one (UnixChannels.Socket). */
    private final DuplexChannel channel;
    private boolean unwatched;
    private final Protocol protocol;
    private final StreamConnector connector;
    /** "client" or "server": which end opened the connection. */
    private final String side;

    private boolean lost;
    private boolean disconnecting;
    private boolean closeStarted;
    private boolean aborted;
    private Throwable closeReason;
    private boolean readShutDown;
    private boolean writeShutDown;
    private boolean writeCloseRequested;
    private boolean readingPausedByProtocol;
    private boolean flushScheduled;
    private Producer producer;
    private boolean streaming;
    private boolean producerPaused;
    private boolean pullPending;
    /** The error that broke the channel, if it broke rather than closed cleanly. */
    private Throwable channelError;
    private Address peer;
    /** While bufferReceived runs: the view lent to the protocol, and the Netty buffer behind it. */
    private ByteBuffer lentView;
    private ByteBuf lentBytes;
    private Address host;
    /** TLS on this connection, once started (from the first byte for listenSSL and connectSSL). */
    private SslHandler tls;
    /** The peer's close_notify has arrived: its end of stream is a clean close. */
    private boolean closeNotifyReceived;
    /** close_notify has been sent (loseWriteConnection): the socket is closed under the handler. */
    private boolean closeNotifySent;
    /** Why TLS failed (a handshake refused or a record that would not decrypt), if it did. */
    private Throwable tlsFailure;

    StreamConnection(NettyReactor reactor, DuplexChannel channel, Protocol protocol, StreamConnector connector, String side) {
        this.reactor = reactor;
        this.channel = channel;
        this.protocol = protocol;
        this.connector = connector;
        this.side = side;
    }

    /** How a connection starts TLS: with this context, as the client or the server, checking {@code peerName} if a client. */
    record TlsStart(SSLContext context, boolean client, String peerName) {
        TlsStart {
            Objects.requireNonNull(context, "context");
        }
    }

    /** Configures the channel and puts this connection at the end of its pipeline; TLS from the start if {@code tlsStart} is given. */
    void attach(TlsStart tlsStart) {
        channel.config().setAutoRead(true);
        // The typed setter: a Unix channel's config (UnixChannels.Config) takes no option by name.
        config().setAllowHalfClosure(true);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK));
        channel.pipeline().addLast(this);
        if (tlsStart != null) {
            startTls(tlsStart);
        }
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
        startTls(new TlsStart(context, client, client ? peerHostText() : null));
    }

    @Override
    public boolean isTlsStarted() {
        return tls != null;
    }

    /**
     * Puts an {@link SslHandler} at the head of the pipeline: what was written before has passed
     * it and goes out in clear; what is written after is encrypted. A client checks the peer's
     * certificate against {@code peerName} (host name or address), as HTTPS does.
     */
    private void startTls(TlsStart start) {
        SslHandler handler = new SslHandler(TlsEngines.create(start.context(), start.client(), start.peerName(), peer));
        // As Twisted and the nio reactor: no time limit on a handshake, and a close waits for its close_notify to go
        // out however long the peer takes to read what is before it (Netty's defaults: 10 s and 3 s).
        handler.setHandshakeTimeoutMillis(0);
        handler.setCloseNotifyFlushTimeoutMillis(0);
        tls = handler;
        channel.pipeline().addFirst(handler);
    }

    /** The address the connection reached, as text: what a client that starts TLS checks the certificate against. */
    private String peerHostText() {
        return LogPrefixes.host(peer, null);
    }

    /** A TLS error: the reason the connection closes names TLS and has the SSLException as its cause. */
    private void tlsFailed(Throwable error) {
        SSLException cause = sslCause(error);
        if (cause == null || tlsFailure != null || lost || aborted) {
            return; // not TLS's own failure (the channel closed during the handshake, say): the close says why
        }
        tlsFailure = new ConnectionLost("TLS failed: " + cause.getMessage(), cause);
    }

    private static SSLException sslCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    // ----------------------------------------------------------------------------------------
    // Netty's events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Kept now: a closed channel no longer knows its addresses.
        peer = Addresses.of(channel.remoteAddress(), "TCP");
        host = Addresses.of(channel.localAddress(), "TCP");
        reactor.connections.add(this);
        try {
            protocol.makeConnection(this);
        } catch (Throwable e) {
            reactor.logError(e, "Unhandled error in " + logPrefix() + " (connectionMade):");
            closeBecause(e);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ByteBuf bytes = (ByteBuf) message;
        try {
            if (lost || disconnecting || readShutDown) {
                return;
            }
            if (protocol instanceof BufferReceiver receiver) {
                ByteBuffer view = bytes.nioBuffer();
                lentView = view;
                lentBytes = bytes;
                try {
                    receiver.bufferReceived(view);
                } catch (Throwable e) {
                    reactor.logError(e, "Unhandled error in " + logPrefix() + " (bufferReceived):");
                    closeBecause(e);
                } finally {
                    lentView = null;
                    lentBytes = null;
                }
                return;
            }
            byte[] data = new byte[bytes.readableBytes()];
            bytes.readBytes(data);
            try {
                protocol.dataReceived(data);
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (dataReceived):");
                closeBecause(e);
            }
        } finally {
            bytes.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushScheduled) {
            flushNow(); // answer now rather than after every other ready connection
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            endOfInput();
        } else if (event instanceof ChannelInputShutdownReadComplete) {
            // nothing more: the input is shut and every read before it delivered
        } else if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            tlsFailed(handshake.cause());
        } else if (event instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
            closeNotifyReceived = true;
        }
    }

    private void endOfInput() {
        if (lost || readShutDown) {
            return;
        }
        if (tls != null && !closeNotifyReceived && !disconnecting) {
            // The TCP stream ended with no close_notify before it: a truncation, not a clean close.
            readShutDown = true;
            closeChannel(new ConnectionLost("TLS connection closed by the peer without close_notify", null));
            return;
        }
        readShutDown = true;
        if (protocol instanceof HalfCloseableProtocol halfCloseable && !disconnecting) {
            try {
                halfCloseable.readConnectionLost();
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (readConnectionLost):");
                closeBecause(e);
                return;
            }
            if (writeShutDown) {
                closeChannel(new ConnectionDone());
            }
            return;
        }
        if (!disconnecting) {
            closeChannel(new ConnectionDone());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (producer == null || !streaming || lost) {
            return;
        }
        if (!channel.isWritable() && !producerPaused) {
            producerPaused = true;
            callProducer(((PushProducer) producer)::pauseProducing, "pauseProducing");
        } else if (channel.isWritable() && producerPaused) {
            producerPaused = false;
            callProducer(((PushProducer) producer)::resumeProducing, "resumeProducing");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (tls != null) {
            tlsFailed(cause);
        }
        if (channelError == null) {
            channelError = cause;
        }
        if (!lost) {
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Throwable reason;
        if (aborted) {
            reason = new ConnectionAborted();
        } else if (tlsFailure != null) {
            reason = tlsFailure;
        } else if (channelError != null) {
            reason = new ConnectionLost(channelError);
        } else if (closeReason != null) {
            reason = closeReason;
        } else if (readShutDown || closeStarted) {
            reason = new ConnectionDone();
        } else {
            reason = new ConnectionLost();
        }
        lost(new Failure(reason), false);
    }

    /** Delivers connectionLost once; at shutdown, the reactor calls it before the channel has closed. */
    void lost(Failure reason, boolean close) {
        if (lost) {
            return;
        }
        lost = true;
        reactor.connections.remove(this);
        if (close) {
            channel.close();
        }
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

    // ----------------------------------------------------------------------------------------
    // Writing

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (lost || closeStarted || writeCloseRequested || data.length == 0) {
            return;
        }
        // Straight into a pooled direct buffer: one copy, where a heap buffer would cost Netty a second.
        channel.write(channel.alloc().directBuffer(data.length).writeBytes(data), channel.voidPromise());
        wrote();
    }

    @Override
    public void write(ByteBuffer data) {
        if (lost || closeStarted || writeCloseRequested || !data.hasRemaining()) {
            data.position(data.limit());
            return;
        }
        ByteBuf out;
        if (data == lentView) {
            // The buffer lent by bufferReceived, written back: hand Netty's buffer over, no copy.
            // nioBuffer() maps the reader index to position 0.
            int from = lentBytes.readerIndex() + data.position();
            out = lentBytes.retainedSlice(from, data.remaining());
        } else {
            out = channel.alloc().directBuffer(data.remaining());
            out.writeBytes(data.duplicate());
        }
        data.position(data.limit());
        channel.write(out, channel.voidPromise());
        wrote();
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        if (lost || closeStarted || writeCloseRequested) {
            return;
        }
        int total = 0;
        for (byte[] piece : data) {
            total += piece.length;
        }
        if (total == 0) {
            return;
        }
        ByteBuf joined = channel.alloc().directBuffer(total);
        for (byte[] piece : data) {
            joined.writeBytes(piece);
        }
        channel.write(joined, channel.voidPromise());
        wrote();
    }

    private void wrote() {
        if (!flushScheduled) {
            flushScheduled = true;
            reactor.scheduleFlush(this);
        }
        if (producer != null && streaming && !producerPaused && !channel.isWritable()) {
            producerPaused = true;
            callProducer(((PushProducer) producer)::pauseProducing, "pauseProducing");
        }
    }

    /** {@link #flushNow()}, unless nothing was written since the last flush. */
    void flushIfScheduled() {
        if (flushScheduled) {
            flushNow();
        }
    }

    /** Sends what was written; then, if a close or half-close waits for that, does it. */
    void flushNow() {
        flushScheduled = false;
        if (lost) {
            return;
        }
        channel.flush();
        if (producer != null && !streaming && !pullPending) {
            pullPending = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(sent -> pullAgain());
        }
        // As in Twisted, only a pull producer holds the close back; a streaming one hears stopProducing.
        if (disconnecting && (producer == null || streaming) && !closeStarted) {
            closeStarted = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(sent -> channel.close());
        } else if (writeCloseRequested && !writeShutDown && !disconnecting) {
            writeShutDown = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(sent -> {
                if (!sent.isSuccess()) {
                    return;
                }
                if (tls == null) {
                    channel.shutdownOutput().addListener(shut -> outputShut());
                    return;
                }
                closeNotifySent = true; // close_notify first, then the TCP end of stream; reading goes on
                tls.closeOutbound().addListener(closed -> channel.shutdownOutput().addListener(shut -> outputShut()));
            });
        }
    }

    private void outputShut() {
        if (lost) {
            return;
        }
        if (protocol instanceof HalfCloseableProtocol halfCloseable) {
            try {
                halfCloseable.writeConnectionLost();
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (writeConnectionLost):");
                closeBecause(e);
                return;
            }
        }
        if (readShutDown) {
            closeChannel(new ConnectionDone());
        }
    }

    /** The pull producer's last piece has gone out: ask it for the next. */
    private void pullAgain() {
        pullPending = false;
        if (lost || producer == null || streaming) {
            return;
        }
        // What it writes is flushed, and once that has gone out it is asked again; if it wrote nothing it
        // is not asked again until something is written (as Twisted stops writing then), not in a busy loop.
        callProducer(((PullProducer) producer)::resumeProducing, "resumeProducing");
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
        channel.config().setAutoRead(false);
        if (!flushScheduled) {
            flushScheduled = true;
            reactor.scheduleFlush(this);
        }
    }

    @Override
    public void abortConnection() {
        if (lost || aborted) {
            return;
        }
        aborted = true;
        disconnecting = true;
        closeStarted = true;
        channel.config().setAutoRead(false);
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // closing matters more than how
        }
        // Not within this call: the protocol hears connectionLost from the loop. Under TLS's handler, which would
        // send close_notify and wait for it: an abort sends nothing more.
        reactor.loop.execute(() -> channel.unsafe().close(channel.voidPromise()));
    }

    /** A protocol callback threw: close with that as the reason, dropping nothing already written. */
    private void closeBecause(Throwable error) {
        if (lost) {
            return;
        }
        closeReason = error;
        if (!closeStarted) {
            disconnecting = true;
            closeStarted = true;
            channel.config().setAutoRead(false);
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(sent -> channel.close());
        }
    }

    /** Both directions are done: close the channel, the protocol hearing {@code reason}. */
    private void closeChannel(Throwable reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        closeStarted = true;
        if (closeNotifySent) {
            channel.unsafe().close(channel.voidPromise()); // TLS has said its last word, and the output is shut
        } else {
            channel.close();
        }
    }

    @Override
    public void loseWriteConnection() {
        if (lost || disconnecting || writeCloseRequested) {
            return;
        }
        writeCloseRequested = true;
        if (!flushScheduled) {
            flushScheduled = true;
            reactor.scheduleFlush(this);
        }
    }

    @Override
    public boolean isDisconnecting() {
        return disconnecting;
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
            ((PullProducer) newProducer).resumeProducing(); // what it writes schedules the flush that asks again
        } else if (!channel.isWritable()) {
            producerPaused = true;
            callProducer(((PushProducer) newProducer)::pauseProducing, "pauseProducing");
        }
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        producerPaused = false;
        if (!lost && disconnecting && !flushScheduled) {
            flushScheduled = true;
            reactor.scheduleFlush(this);
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
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeProducing() {
        readingPausedByProtocol = false;
        if (!lost && !disconnecting && !readShutDown && !unwatched) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void stopProducing() {
        loseConnection();
    }

    // ----------------------------------------------------------------------------------------
    // Socket options and addresses

    // A Unix domain socket has no TCP options: its config (UnixChannels.Config) does nothing when
    // one is set, and each reads false.

    @Override
    public void setTcpNoDelay(boolean enabled) {
        config().setTcpNoDelay(enabled);
    }

    @Override
    public boolean getTcpNoDelay() {
        return config().isTcpNoDelay();
    }

    @Override
    public void setTcpKeepAlive(boolean enabled) {
        config().setKeepAlive(enabled);
    }

    @Override
    public boolean getTcpKeepAlive() {
        return config().isKeepAlive();
    }

    /** TCP's config, or a Unix socket's, which is one too (see UnixChannels). */
    private SocketChannelConfig config() {
        return (SocketChannelConfig) channel.config();
    }

    @Override
    public Address getPeer() {
        return peer;
    }

    @Override
    public Address getHost() {
        return host;
    }

    // As a descriptor (ReactorDescriptors lists the reactor's own connections): the reactor reads for it.

    @Override
    public Throwable doRead() {
        return null;
    }

    @Override
    public SelectableChannel channel() {
        return Channels.jdk(channel);
    }

    /** Told by removeReader or removeAll: stop reading until added again. */
    void watched(boolean watch) {
        unwatched = !watch;
        channel.config().setAutoRead(watch && !readingPausedByProtocol && !lost && !disconnecting && !readShutDown);
    }

    /** Whether it is listed among the readers. */
    boolean isWatched() {
        return !unwatched && !lost;
    }

    @Override
    public void connectionLost(Failure reason) {
        lost(reason, true);
    }

    @Override
    public String logPrefix() {
        return LogPrefixes.connection(protocol, side.equals("server"), peer);
    }

    @Override
    public String toString() {
        return "<" + logPrefix() + " to " + peer + " " + (lost ? "lost" : disconnecting ? "disconnecting" : "open") + ">";
    }
}
