package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.Producer;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.support.ProducerRegistration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A transport that records what a protocol does to it, for unit tests of protocols: Twisted's
 * {@code StringTransport}. Writes accumulate in {@link #value()}; closing only records how, and
 * never calls the protocol's {@code connectionLost} (a test that wants that calls it). Use it on
 * one thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class StringTransport implements TcpTransport {

    /** What this transport, as the producer of the protocol's input, has been told. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public enum ProducerState {
        /** Reading (the initial state). */
        PRODUCING,
        /** {@code pauseProducing} was called last. */
        PAUSED,
        /** {@code stopProducing} was called. */
        STOPPED
    }

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final Address host;
    private final Address peer;
    private boolean disconnecting;
    private Throwable closeReason;
    private boolean aborted;
    private boolean writeClosed;
    private boolean noDelay;
    private boolean keepAlive;
    private Producer producer;
    private boolean streaming;
    private ProducerState producerState = ProducerState.PRODUCING;

    /** A transport between 10.0.0.1:12345 (host) and 192.168.1.1:54321 (peer), as in Twisted. */
    public StringTransport() {
        this(new IPv4Address("TCP", "10.0.0.1", 12345), new IPv4Address("TCP", "192.168.1.1", 54321));
    }

    /** A transport with the given addresses. */
    public StringTransport(Address host, Address peer) {
        this.host = Objects.requireNonNull(host, "host");
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    /** Everything written so far (since the last {@link #clear()}). */
    public byte[] value() {
        return written.toByteArray();
    }

    /** {@link #value()} decoded as UTF-8. */
    public String valueAsString() {
        return written.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was written. */
    public void clear() {
        written.reset();
    }

    /**
     * The reason the protocol closed with: {@link ConnectionDone} after a plain {@code
     * loseConnection()}, the given reason after {@code loseConnection(reason)}, {@link
     * ConnectionAborted} after {@code abortConnection()}; {@code null} while open.
     */
    public Throwable closeReason() {
        return closeReason;
    }

    /** Whether {@code abortConnection()} was called. */
    public boolean isAborted() {
        return aborted;
    }

    /** Whether {@code loseWriteConnection()} was called. */
    public boolean isWriteClosed() {
        return writeClosed;
    }

    /** The registered producer, or {@code null}. */
    public Producer producer() {
        return producer;
    }

    /** Whether the registered producer was registered as streaming. */
    public boolean isStreaming() {
        return streaming;
    }

    /** What this transport, as a producer, was last told. */
    public ProducerState producerState() {
        return producerState;
    }

    @Override
    public void write(byte[] data) {
        written.writeBytes(Objects.requireNonNull(data, "data"));
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        data.forEach(this::write);
    }

    @Override
    public void loseConnection() {
        loseConnection(new ConnectionDone());
    }

    @Override
    public void loseConnection(Throwable reason) {
        Objects.requireNonNull(reason, "reason");
        if (!disconnecting) {
            disconnecting = true;
            closeReason = reason;
        }
    }

    @Override
    public void abortConnection() {
        if (!aborted) {
            aborted = true;
            disconnecting = true;
            closeReason = new ConnectionAborted();
        }
    }

    @Override
    public boolean isDisconnecting() {
        return disconnecting;
    }

    @Override
    public Address getPeer() {
        return peer;
    }

    @Override
    public Address getHost() {
        return host;
    }

    @Override
    public void registerProducer(Producer producer, boolean streaming) {
        ProducerRegistration.check(this.producer, producer, streaming);
        this.producer = producer;
        this.streaming = streaming;
    }

    @Override
    public void unregisterProducer() {
        if (producer == null) {
            throw new IllegalStateException("Cannot unregister a producer unless one is registered.");
        }
        producer = null;
    }

    @Override
    public void pauseProducing() {
        checkNotStopped();
        producerState = ProducerState.PAUSED;
    }

    @Override
    public void resumeProducing() {
        checkNotStopped();
        producerState = ProducerState.PRODUCING;
    }

    @Override
    public void stopProducing() {
        producerState = ProducerState.STOPPED;
    }

    private void checkNotStopped() {
        if (producerState == ProducerState.STOPPED) {
            throw new IllegalStateException("this transport was stopped with stopProducing()");
        }
    }

    @Override
    public void loseWriteConnection() {
        writeClosed = true;
    }

    @Override
    public void setTcpNoDelay(boolean enabled) {
        noDelay = enabled;
    }

    @Override
    public boolean getTcpNoDelay() {
        return noDelay;
    }

    @Override
    public void setTcpKeepAlive(boolean enabled) {
        keepAlive = enabled;
    }

    @Override
    public boolean getTcpKeepAlive() {
        return keepAlive;
    }
}
