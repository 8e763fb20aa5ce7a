package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

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
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.support.ProducerRegistration;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Two protocols connected in memory, with no reactor and no sockets: Twisted's {@code iosim}.
 * Nothing moves until the test calls {@link #pump()} or {@link #flush()}, so the test decides
 * exactly when each side hears what the other wrote; that makes client/server exchanges
 * deterministic and instant.
 *
 * <p>The transports behave like TCP's: bytes arrive in order (all that is pending in one {@code
 * dataReceived}, or {@code bufferReceived} for a {@link BufferReceiver}); {@code loseConnection} closes once the pending bytes are delivered (both sides
 * hear {@link ConnectionDone}, the closing side the reason it gave); {@code abortConnection}
 * drops them (this side hears {@link ConnectionAborted}, the peer {@link ConnectionLost}); {@code
 * loseWriteConnection} half-closes; pausing a transport holds back what it would deliver to its
 * protocol; a streaming producer is paused past 64 KiB pending and resumed when it drains; a pull
 * producer is asked for more whenever nothing is pending. Exceptions thrown by the protocols
 * propagate out of {@code pump}. Use it on one thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LoopbackPump {

    /** Pending bytes above which a streaming producer is paused (Twisted's transport buffer size). */
    public static final int HIGH_WATER_MARK = 64 * 1024;

    private static final int MAX_FLUSH_ROUNDS = 100_000;

    private final End server;
    private final End client;

    private LoopbackPump(Protocol server, Protocol client) {
        IPv4Address serverAddress = new IPv4Address("TCP", "127.0.0.1", 10000);
        IPv4Address clientAddress = new IPv4Address("TCP", "127.0.0.1", 54321);
        this.server = new End("server", Objects.requireNonNull(server, "server"), serverAddress, clientAddress);
        this.client = new End("client", Objects.requireNonNull(client, "client"), clientAddress, serverAddress);
        this.server.peer = this.client;
        this.client.peer = this.server;
    }

    /**
     * Connects {@code server} and {@code client} (each hears {@code makeConnection}, the server
     * first) and {@linkplain #flush() flushes} whatever their {@code connectionMade} wrote.
     */
    public static LoopbackPump connect(Protocol server, Protocol client) {
        LoopbackPump pump = new LoopbackPump(server, client);
        server.makeConnection(pump.server);
        client.makeConnection(pump.client);
        pump.flush();
        return pump;
    }

    /** The server protocol's transport. */
    public TcpTransport serverTransport() {
        return server;
    }

    /** The client protocol's transport. */
    public TcpTransport clientTransport() {
        return client;
    }

    /** Whether both protocols have heard {@code connectionLost}. */
    public boolean isClosed() {
        return server.lost && client.lost;
    }

    /**
     * Moves what is pending one step in each direction (server to client, then client to server),
     * and completes closes whose bytes are all delivered.
     *
     * @return whether anything happened
     */
    public boolean pump() {
        boolean moved = server.step();
        moved |= client.step();
        return moved;
    }

    /**
     * Pumps until nothing more happens.
     *
     * @throws IllegalStateException if the protocols keep each other busy forever
     */
    public void flush() {
        for (int round = 0; round < MAX_FLUSH_ROUNDS; round++) {
            if (!pump()) {
                return;
            }
        }
        throw new IllegalStateException("LoopbackPump.flush: the protocols were still exchanging data after "
                + MAX_FLUSH_ROUNDS + " rounds");
    }

    private static final class End implements TcpTransport {
        final String name;
        final Protocol protocol;
        final Address host;
        final Address peerAddress;
        End peer;

        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        boolean disconnecting;
        Throwable closeReason;
        boolean aborted;
        boolean writeCloseRequested;
        boolean writeShutDown;
        boolean lost;
        boolean readingPaused;
        boolean noDelay;
        boolean keepAlive;
        Producer producer;
        boolean streaming;
        boolean producerPaused;

        End(String name, Protocol protocol, Address host, Address peerAddress) {
            this.name = name;
            this.protocol = protocol;
            this.host = host;
            this.peerAddress = peerAddress;
        }

        boolean step() {
            if (lost) {
                return false;
            }
            if (aborted) {
                pending.reset();
                closeBoth(this, new ConnectionAborted(), new ConnectionLost());
                return true;
            }
            boolean moved = false;
            if (pending.size() > 0 && !peer.readingPaused && !peer.lost) {
                byte[] data = pending.toByteArray();
                pending.reset();
                if (peer.protocol instanceof BufferReceiver receiver) {
                    receiver.bufferReceived(java.nio.ByteBuffer.wrap(data));
                } else {
                    peer.protocol.dataReceived(data);
                }
                moved = true;
                if (producerPaused && streaming && producer != null) {
                    producerPaused = false;
                    ((PushProducer) producer).resumeProducing();
                }
            }
            if (lost || pending.size() > 0) {
                return moved || lost;
            }
            if (disconnecting && producer == null) {
                closeBoth(this, closeReason, new ConnectionDone());
                return true;
            }
            if (writeCloseRequested && !writeShutDown && producer == null) {
                writeShutDown = true;
                if (!(peer.protocol instanceof HalfCloseableProtocol peerHalf)) {
                    closeBoth(this, new ConnectionDone(), new ConnectionDone());
                    return true;
                }
                if (protocol instanceof HalfCloseableProtocol half) {
                    half.writeConnectionLost();
                }
                peerHalf.readConnectionLost();
                if (peer.writeShutDown) {
                    closeBoth(this, new ConnectionDone(), new ConnectionDone());
                }
                return true;
            }
            if (producer instanceof PullProducer pull && !streaming && !disconnecting) {
                pull.resumeProducing();
                return moved || pending.size() > 0;
            }
            return moved;
        }

        private static void closeBoth(End closer, Throwable closerReason, Throwable peerReason) {
            End other = closer.peer;
            closer.disconnecting = true;
            other.disconnecting = true;
            if (!closer.lost) {
                closer.lost = true;
                closer.stopProducer();
                closer.protocol.connectionLost(new Failure(closerReason));
            }
            if (!other.lost) {
                other.lost = true;
                other.stopProducer();
                other.protocol.connectionLost(new Failure(peerReason));
            }
        }

        private void stopProducer() {
            Producer p = producer;
            producer = null;
            if (p != null) {
                p.stopProducing();
            }
        }

        @Override
        public void write(byte[] data) {
            Objects.requireNonNull(data, "data");
            if (lost || writeShutDown) {
                return;
            }
            pending.writeBytes(data);
            if (streaming && producer != null && !producerPaused && pending.size() > HIGH_WATER_MARK) {
                producerPaused = true;
                ((PushProducer) producer).pauseProducing();
            }
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
            if (!disconnecting && !lost) {
                disconnecting = true;
                closeReason = reason;
            }
        }

        @Override
        public void abortConnection() {
            if (!lost) {
                aborted = true;
                disconnecting = true;
            }
        }

        @Override
        public boolean isDisconnecting() {
            return disconnecting;
        }

        @Override
        public Address getPeer() {
            return peerAddress;
        }

        @Override
        public Address getHost() {
            return host;
        }

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
        }

        @Override
        public void unregisterProducer() {
            producer = null;
            producerPaused = false;
        }

        @Override
        public void pauseProducing() {
            readingPaused = true;
        }

        @Override
        public void resumeProducing() {
            readingPaused = false;
        }

        @Override
        public void stopProducing() {
            loseConnection();
        }

        @Override
        public void loseWriteConnection() {
            writeCloseRequested = true;
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

        @Override
        public String toString() {
            return "LoopbackPump." + name + "Transport";
        }
    }
}
