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
import dev.twine.reactor.ReadDescriptor;
import dev.twine.reactor.WriteDescriptor;
import dev.twine.reactor.nio.StreamStates.Input;
import dev.twine.reactor.nio.StreamStates.Life;
import dev.twine.reactor.nio.StreamStates.Output;
import dev.twine.reactor.nio.StreamStates.Production;
import dev.twine.reactor.support.LogPrefixes;
import dev.twine.reactor.support.TlsEngines;
import dev.twine.reactor.support.ProducerRegistration;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One stream connection (TCP or Unix domain socket, optionally TLS) and its transport.
 *
 * <p>Writes go straight to the socket when nothing is queued before them; what the socket does
 * not take is copied into this connection's queue and sent when it becomes writable. Closing and
 * errors found while writing are acted on at the next iteration, never inside the protocol's
 * call.
 *
 * <p>Its state is four aspects, each an enum of {@link StreamStates} whose legal transitions are
 * listed there: its {@link Life life} (open, disconnecting, lost), its {@link Input input} (open,
 * paused by the protocol, shut by the peer), its {@link Output output} (open, close requested,
 * shut, broken) and its {@link Production producer} (none, streaming, paused, pull).
 *
 * <p>Bytes pass through a {@link ByteStage} between the socket and the protocol: the plain stage,
 * or a {@link TlsSession} once TLS is started.
 */
final class StreamConnection implements TlsTransport, ReadDescriptor, WriteDescriptor {

    /** The reactor's open connections, threaded through their {@code previousOpen}/{@code nextOpen} links. */
    static final class OpenList {
        private StreamConnection first;
        private StreamConnection last;

        void add(StreamConnection connection) {
            if (connection.previousOpen != null || first == connection) {
                return; // already listed
            }
            connection.previousOpen = last;
            if (last == null) {
                first = connection;
            } else {
                last.nextOpen = connection;
            }
            last = connection;
        }

        void remove(StreamConnection connection) {
            if (connection.previousOpen == null && first != connection) {
                return; // not listed
            }
            if (connection.previousOpen == null) {
                first = connection.nextOpen;
            } else {
                connection.previousOpen.nextOpen = connection.nextOpen;
            }
            if (connection.nextOpen == null) {
                last = connection.previousOpen;
            } else {
                connection.nextOpen.previousOpen = connection.previousOpen;
            }
            connection.previousOpen = null;
            connection.nextOpen = null;
        }

        /** The open connections, oldest first, copied (closing them changes the list). */
        List<StreamConnection> snapshot() {
            List<StreamConnection> all = new java.util.ArrayList<>();
            for (StreamConnection c = first; c != null; c = c.nextOpen) {
                all.add(c);
            }
            return all;
        }
    }

    /** This connection's neighbours in its reactor's {@link OpenList}. */
    private StreamConnection previousOpen;
    private StreamConnection nextOpen;


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

    private Life life = Life.OPEN;
    private Input input = Input.OPEN;
    private Output output = Output.OPEN;
    private Production production = Production.NONE;
    /** The reason given to loseConnection or abortConnection; null until one is called. */
    private Throwable closeReason;
    private Producer producer;

    private ByteStage stage = new PlainStage();

    private final OutputChunks pending;
    /** Whether this connection is one of the reactor's writers: it waits for the socket to drain. */
    private boolean writing;
    /** Whether this connection is in the reactor's list to flush at the end of the pass. */
    private boolean flushScheduled;

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
            Throwable why = stage.received(buffer);
            if (why != null) {
                return why;
            }
            if (life != Life.OPEN || input != Input.OPEN || n < OutputChunks.CHUNK_SIZE) {
                return null;
            }
        }
        return null;
    }

    /** The plain stage's input: the socket's bytes are the protocol's. */
    private Throwable receivedPlain(ByteBuffer bytes) {
        if (protocol instanceof BufferReceiver receiver) {
            if (life == Life.LOST || input == Input.SHUT) {
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
        if (life != Life.OPEN || input == Input.SHUT) {
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
        Throwable why = stage.endOfInput();
        if (why != null) {
            return why;
        }
        input = input.to(Input.SHUT);
        reactor.removeReader(this);
        if (protocol instanceof HalfCloseableProtocol halfCloseable) {
            try {
                halfCloseable.readConnectionLost();
            } catch (Throwable e) {
                reactor.logError(e, "Unhandled error in " + logPrefix() + " (readConnectionLost):");
                return e;
            }
            return output == Output.SHUT ? new ConnectionDone() : null;
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
        stage.write(data);
    }

    @Override
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (!canWrite() || !data.hasRemaining()) {
            data.position(data.limit());
            return;
        }
        stage.write(data);
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
        stage.write(buffers);
    }

    private boolean canWrite() {
        return life != Life.LOST && (output == Output.OPEN || output == Output.CLOSE_REQUESTED);
    }

    /**
     * Sends bytes as they are (already encrypted, or plain without TLS): they are copied into this
     * connection's output chunks, and the reactor writes them at the end of the current pass of
     * its loop, with every other write made meanwhile, in one gathering write.
     */
    void sendRaw(ByteBuffer... data) {
        if (life == Life.LOST || output == Output.BROKEN) {
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
        if (production == Production.STREAMING && pending.size() > NioReactor.HIGH_WATER_MARK) {
            production = production.to(Production.PAUSED);
            callProducer(((PushProducer) producer)::pauseProducing, "pauseProducing");
        }
    }

    /** Called by the reactor at the end of a pass: writes what the socket takes now. */
    void flush() {
        flushScheduled = false;
        if (life == Life.LOST || output == Output.BROKEN || writing) {
            return;
        }
        try {
            pending.writeTo(channel);
        } catch (IOException e) {
            writeFailed(e);
            return;
        }
        if (!pending.isEmpty() || producerWaitsForDrain()) {
            // Wait for the socket to drain; then doWrite asks a pull producer for more, or
            // resumes a paused streaming one.
            startWriting();
        }
    }

    /** Writes what is queued as far as the socket takes it now, without waiting: the last words before a close. */
    void sendNowBeforeClosing() {
        try {
            pending.writeTo(channel);
        } catch (IOException e) {
            // Closing anyway; the peer learns of it from the close.
        }
    }

    private void writeFailed(IOException e) {
        breakOutput();
        pending.clear();
        failSoon(new ConnectionLost(e));
    }

    /** Closes with {@code why} at the next iteration, not inside the current call. */
    private void failSoon(Throwable why) {
        reactor.runSoon(() -> {
            if (life != Life.LOST) {
                reactor.disconnect(this, why);
            }
        });
    }

    @Override
    public Throwable doWrite() {
        if (life == Life.LOST) {
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
        if (production == Production.PAUSED) {
            production = production.to(Production.STREAMING);
            callProducer(((PushProducer) producer)::resumeProducing, "resumeProducing");
            if (reactor.outputPool.faultResumeForgetsPause && production == Production.PAUSED) {
                production = production.to(Production.STREAMING); // the fault a broken reactor of the conformance suite injects
            }
            return null;
        }
        if (production == Production.PULL) {
            callProducer(((PullProducer) producer)::resumeProducing, "resumeProducing");
            return null;
        }
        if ((life == Life.DISCONNECTING || output == Output.CLOSE_REQUESTED) && !stage.isEstablished()) {
            return null; // tlsHandshakeDone() comes back here once the held bytes are on their way
        }
        if (life == Life.DISCONNECTING) {
            return stageClosedOutput() ? closeReason : null;
        }
        if (output == Output.CLOSE_REQUESTED) {
            return shutDownOutput();
        }
        return null;
    }

    /**
     * Whether the stage's output is ended and sent, so that the socket may be closed or shut
     * down; if ending it queued bytes (TLS close_notify), they are sent first and doWrite comes
     * back here.
     */
    private boolean stageClosedOutput() {
        stage.closeOutput();
        if (!pending.isEmpty()) {
            startWriting();
            return false;
        }
        return true;
    }

    /** Whether a producer waits for the output to drain: a pull producer, or a streaming one paused past the mark. */
    private boolean producerWaitsForDrain() {
        return production == Production.PULL || production == Production.PAUSED;
    }

    private Throwable shutDownOutput() {
        if (!stageClosedOutput()) {
            return null;
        }
        output = output.to(Output.SHUT);
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
        return input == Input.SHUT ? new ConnectionDone() : null;
    }

    private void startWriting() {
        if (!writing && life != Life.LOST && output != Output.BROKEN) {
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
        if (life != Life.OPEN) {
            return;
        }
        life = life.to(Life.DISCONNECTING);
        closeReason = reason;
        if (stage.isEstablished()) {
            reactor.removeReader(this);
        } // else keep reading until the handshake is done: what was written goes out first, encrypted
        startWriting();
    }

    @Override
    public void abortConnection() {
        if (life == Life.LOST || output == Output.BROKEN) {
            return;
        }
        breakOutput();
        if (life == Life.OPEN) {
            life = life.to(Life.DISCONNECTING);
        }
        if (closeReason == null) {
            closeReason = new ConnectionAborted();
        }
        pending.clear();
        reactor.removeReader(this);
        stopWriting();
        reactor.runSoon(() -> {
            if (life != Life.LOST) {
                reactor.disconnect(this, new ConnectionAborted());
            }
        });
    }

    @Override
    public void loseWriteConnection() {
        if (life != Life.OPEN || output != Output.OPEN) {
            return;
        }
        output = output.to(Output.CLOSE_REQUESTED);
        startWriting();
    }

    @Override
    public boolean isDisconnecting() {
        return closeReason != null; // still true once lost, as in Twisted
    }

    /** Nothing more is written: writing failed, TLS failed, or the connection is aborted. */
    private void breakOutput() {
        if (output != Output.BROKEN) {
            output = output.to(Output.BROKEN);
        }
    }

    @Override
    public void connectionLost(Failure reason) {
        if (life == Life.LOST) {
            return;
        }
        life = life.to(Life.LOST);
        reactor.connections.remove(this);
        writing = false;
        pending.clear();
        closeChannel(reason.check(ConnectionAborted.class) != null);
        Producer registered = producer;
        producer = null;
        if (production != Production.NONE) {
            production = production.to(Production.NONE);
        }
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
        if (life == Life.LOST) {
            newProducer.stopProducing();
            return;
        }
        producer = newProducer;
        production = production.to(isStreaming ? Production.STREAMING : Production.PULL);
        if (!isStreaming) {
            ((PullProducer) newProducer).resumeProducing();
        }
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        if (production != Production.NONE) {
            production = production.to(Production.NONE);
        }
        if (life == Life.DISCONNECTING) {
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
        if (input == Input.OPEN) {
            input = input.to(Input.PAUSED);
        }
        reactor.removeReader(this);
    }

    @Override
    public void resumeProducing() {
        if (input == Input.PAUSED) {
            input = input.to(Input.OPEN);
        }
        if (life == Life.OPEN && input == Input.OPEN) {
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
        if (!tcp || life == Life.LOST) {
            return; // Unix domain sockets have no TCP options
        }
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not set " + option.name(), e);
        }
    }

    private boolean getOption(java.net.SocketOption<Boolean> option) {
        if (!tcp || life == Life.LOST) {
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
        return LogPrefixes.connection(protocol, side.equals("server"), getPeer());
    }

    @Override
    public String toString() {
        return "<" + logPrefix() + " " + getHost() + " -> " + getPeer() + ">";
    }

    // ----------------------------------------------------------------------------------------
    // Byte stages: plain until startTLS puts TLS in its place

    /**
     * The stage of a connection without TLS: the socket's bytes are the protocol's, both ways. A
     * buffer lent to bufferReceived and written back is taken over, not copied.
     */
    private final class PlainStage implements ByteStage {
        @Override
        public Throwable received(ByteBuffer raw) {
            return receivedPlain(raw);
        }

        @Override
        public Throwable endOfInput() {
            return null;
        }

        @Override
        public void write(byte[] data) {
            sendRaw(ByteBuffer.wrap(data));
        }

        @Override
        public void write(ByteBuffer data) {
            if (reactor.isReadBuffer(data)) {
                // The buffer lent to bufferReceived, written back: take it over instead of copying.
                reactor.readBufferTaken();
                pending.addOwned(data);
                queued();
            } else {
                sendRaw(data);
            }
        }

        @Override
        public void write(ByteBuffer[] buffers) {
            sendRaw(buffers);
        }

        @Override
        public boolean isEstablished() {
            return true;
        }

        @Override
        public void closeOutput() {
            // Nothing to say before the socket closes.
        }
    }

    @Override
    public void startTLS(SSLContext context, boolean client) {
        Objects.requireNonNull(context, "context");
        if (isTlsStarted()) {
            throw new IllegalStateException("TLS is already started on " + this);
        }
        if (life == Life.LOST) {
            return;
        }
        startTls(context, client, peerHostText());
    }

    @Override
    public boolean isTlsStarted() {
        return stage instanceof TlsSession;
    }

    private void startTls(SSLContext context, boolean client, String peerName) {
        TlsSession tls = new TlsSession(TlsEngines.create(context, client, peerName, getPeer()), this);
        stage = tls; // from now on every byte in and out is TLS's
        Throwable why = tls.begin();
        if (why != null) {
            failSoon(why);
        }
    }

    private String peerHostText() {
        return LogPrefixes.host(getPeer(), null);
    }

    /** The TLS handshake finished and what was held back is encrypted: a close waiting for it may go ahead. */
    void tlsHandshakeDone() {
        if (life == Life.DISCONNECTING || output == Output.CLOSE_REQUESTED) {
            if (life == Life.DISCONNECTING) {
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

    /** A TLS error: breaks the output and returns the reason the connection closes, naming it. */
    Throwable tlsFailed(SSLException e) {
        breakOutput();
        return new ConnectionLost("TLS failed: " + e.getMessage(), e);
    }
}
