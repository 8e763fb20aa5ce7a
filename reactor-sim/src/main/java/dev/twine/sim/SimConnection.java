package dev.twine.sim;

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
import dev.twine.reactor.support.LogPrefixes;
import dev.twine.reactor.support.ProducerRegistration;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * One end of a simulated TCP connection. Its send buffer holds what was written and not yet on
 * the link; segments go out as the peer's receive window allows, each with a seeded size and
 * latency, arriving in order (each arrives no earlier than the one before). A graceful close sends
 * what is buffered, then FIN; an abort or a fault sends RST.
 */
final class SimConnection implements TcpTransport {
    private static final Object FIN = new Object();

    final SimulatedReactor host;
    private final Simulation sim;
    final int id;
    private final IPv4Address local;
    private final IPv4Address remote;
    SimConnection peer;
    SimConnector connector;
    Protocol protocol;
    long resetLimit = -1;

    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();
    private int headOffset;
    private int outboundBytes;
    private boolean pumpScheduled;
    private long lastArrival;
    private int unacknowledged;
    private long sent;
    private boolean writeCloseRequested;
    private boolean writeShutDown;
    private boolean finSent;
    private boolean disconnecting;
    private boolean broken;
    private boolean lost;
    private Throwable closeReason;
    private Producer producer;
    private boolean streaming;
    private boolean producerPaused;

    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private boolean readPaused;
    private boolean readShutDown;
    private boolean noDelay;
    private boolean keepAlive;

    SimConnection(SimulatedReactor host, int id, IPv4Address local, IPv4Address remote) {
        this.host = host;
        this.sim = host.sim();
        this.id = id;
        this.local = local;
        this.remote = remote;
    }

    /** Gives the connection its protocol: it is open from now on. */
    void start(Protocol p) {
        protocol = p;
        host.connections.add(this);
        trace("made");
        try {
            p.makeConnection(this);
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + name() + " (connectionMade):");
            close(e);
        }
    }

    /** An end that never got a protocol (refused by its factory, or abandoned): it closes at once. */
    void abandon(boolean reset) {
        lost = true;
        if (reset) {
            sendReset();
        } else {
            sendFin();
        }
    }

    private String name() {
        return (protocol == null ? "a connection" : LogPrefixes.connection(protocol, connector == null, remote))
                + " on simulated host " + host.name();
    }

    private void trace(String what) {
        if (sim.tracing()) {
            sim.trace(host, "tcp " + id + (connector != null ? "c " : "s ") + what);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sending

    /** Puts something on the link to the peer, behind everything sent before it. */
    private void transmit(Runnable atPeer) {
        SimulatedReactor to = peer.host;
        long departure = sim.departure(host, to);
        if (departure == Long.MAX_VALUE) {
            return; // a partition that never heals: lost
        }
        long arrival = Math.max(departure + sim.latency(host, to), lastArrival);
        lastArrival = arrival;
        to.io(arrival, atPeer);
    }

    private void sendData(byte[] chunk) {
        sent += chunk.length;
        unacknowledged += chunk.length;
        SimConnection to = peer;
        transmit(() -> to.arrive(chunk));
    }

    void sendFin() {
        finSent = true;
        SimConnection to = peer;
        transmit(to::arriveFin);
    }

    void sendReset() {
        SimConnection to = peer;
        transmit(to::resetByPeer);
    }

    void sendEstablished(SimConnection client, SimConnector connectorOfClient, int attempt) {
        transmit(() -> connectorOfClient.established(client, attempt));
    }

    private void schedulePump() {
        if (!pumpScheduled && !lost) {
            pumpScheduled = true;
            host.soon(this::pump);
        }
    }

    private void pump() {
        pumpScheduled = false;
        if (lost || broken) {
            return; // closed, or an abort is on its way
        }
        int window = sim.options().receiveWindow();
        while (outboundBytes > 0 && unacknowledged < window) {
            int n = sim.segment(host, peer.host, Math.min(outboundBytes, window - unacknowledged));
            if (resetLimit >= 0 && sent + n >= resetLimit) {
                int last = (int) (resetLimit - sent);
                if (last > 0) {
                    sendData(take(last));
                }
                reset(new ConnectionLost("Connection reset: the fault plan resets it after " + resetLimit + " bytes sent by "
                        + host.name(), new SocketException("Connection reset")));
                return;
            }
            sendData(take(n));
        }
        if (outboundBytes == 0) {
            drained();
        }
    }

    /** Everything written has been sent: producers, then a pending close or half-close. */
    private void drained() {
        if (producer != null && (!streaming || producerPaused)) {
            producerPaused = false;
            if (!streaming) {
                callProducer(((PullProducer) producer)::resumeProducing, "resumeProducing");
                return;
            }
            callProducer(((PushProducer) producer)::resumeProducing, "resumeProducing");
            if (outboundBytes > 0 || lost) {
                return;
            }
        }
        boolean heldByPullProducer = producer != null && !streaming;
        if (disconnecting && !heldByPullProducer) {
            close(closeReason);
        } else if (writeCloseRequested && !writeShutDown && !heldByPullProducer) {
            writeShutDown = true;
            sendFin();
            trace("write closed");
            if (protocol instanceof HalfCloseableProtocol halfCloseable) {
                try {
                    halfCloseable.writeConnectionLost();
                } catch (Throwable e) {
                    host.logError(e, "Unhandled error in " + name() + " (writeConnectionLost):");
                    close(e);
                    return;
                }
            }
            if (readShutDown) {
                close(new ConnectionDone());
            }
        }
    }

    private byte[] take(int n) {
        byte[] chunk = new byte[n];
        int filled = 0;
        while (filled < n) {
            byte[] head = outbound.peek();
            int copy = Math.min(n - filled, head.length - headOffset);
            System.arraycopy(head, headOffset, chunk, filled, copy);
            filled += copy;
            headOffset += copy;
            if (headOffset == head.length) {
                outbound.poll();
                headOffset = 0;
            }
        }
        outboundBytes -= n;
        return chunk;
    }

    private void callProducer(Runnable call, String what) {
        try {
            call.run();
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in the producer of " + name() + " (" + what + "):");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Receiving

    private void arrive(byte[] chunk) {
        if (lost) {
            if (!broken && !peer.lost) {
                broken = true;
                sendReset(); // data for a closed socket: the peer hears a reset, as from a real stack
            }
            return;
        }
        if (!inbound.isEmpty() || readPaused || !host.reading()) {
            inbound.add(chunk);
            return;
        }
        deliver(chunk);
    }

    private void arriveFin() {
        if (lost) {
            return;
        }
        if (!inbound.isEmpty() || readPaused || !host.reading()) {
            inbound.add(FIN);
            return;
        }
        readEof();
    }

    private void resetByPeer() {
        if (lost) {
            return;
        }
        broken = true;
        close(new ConnectionLost("Connection reset by peer (simulated)", new SocketException("Connection reset")));
    }

    /** Delivers what waited while reading was paused or stalled, merged as one read would take it. */
    void readBuffered() {
        while (!lost && !readPaused && host.reading() && !inbound.isEmpty()) {
            Object head = inbound.poll();
            if (head == FIN) {
                readEof();
                continue;
            }
            byte[] data = (byte[]) head;
            if (inbound.peek() instanceof byte[]) {
                int total = data.length;
                for (Object o : inbound) {
                    if (!(o instanceof byte[] b)) {
                        break;
                    }
                    total += b.length;
                }
                byte[] merged = new byte[total];
                System.arraycopy(data, 0, merged, 0, data.length);
                int at = data.length;
                while (inbound.peek() instanceof byte[] b) {
                    inbound.poll();
                    System.arraycopy(b, 0, merged, at, b.length);
                    at += b.length;
                }
                data = merged;
            }
            deliver(data);
        }
    }

    private void deliver(byte[] data) {
        acknowledge(data.length);
        if (disconnecting || readShutDown) {
            return; // reading stopped
        }
        trace("read " + data.length);
        try {
            if (protocol instanceof BufferReceiver receiver) {
                receiver.bufferReceived(ByteBuffer.wrap(data));
            } else {
                protocol.dataReceived(data);
            }
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + name() + " (dataReceived):");
            close(e);
        }
    }

    /** The protocol has read {@code n} bytes: the peer may send that much more. */
    private void acknowledge(int n) {
        SimConnection sender = peer;
        boolean blocked = sender.outboundBytes > 0 && sender.unacknowledged >= sim.options().receiveWindow();
        sender.unacknowledged -= n;
        if (blocked && !sender.lost) {
            long at = sim.departure(host, sender.host);
            if (at != Long.MAX_VALUE) {
                sender.host.io(at + sim.latency(host, sender.host), sender::schedulePump);
            }
        }
    }

    private void readEof() {
        readShutDown = true;
        trace("eof");
        if (protocol instanceof HalfCloseableProtocol halfCloseable) {
            try {
                halfCloseable.readConnectionLost();
            } catch (Throwable e) {
                host.logError(e, "Unhandled error in " + name() + " (readConnectionLost):");
                close(e);
                return;
            }
            if (writeShutDown) {
                close(new ConnectionDone());
            }
            return;
        }
        close(new ConnectionDone());
    }

    // ------------------------------------------------------------------------------------------
    // Closing

    /** Resets the connection: the peer hears a reset, this end {@code why}. */
    void reset(ConnectionLost why) {
        if (lost) {
            return;
        }
        broken = true;
        sendReset();
        close(why);
    }

    /** This end is closed for {@code reason}: tells the peer (FIN after what is buffered, or RST), then the protocol. */
    void close(Throwable reason) {
        close(reason, false);
    }

    void close(Throwable reason, boolean atShutdown) {
        if (lost) {
            return;
        }
        lost = true;
        host.connections.remove(this);
        if (!broken && !peer.lost) {
            while (outboundBytes > 0) {
                sendData(take(outboundBytes)); // a graceful close still sends what the stack holds
            }
            if (!finSent) {
                sendFin();
            }
        }
        outbound.clear();
        outboundBytes = 0;
        inbound.clear();
        trace("lost " + reason.getClass().getSimpleName());
        Producer registered = producer;
        producer = null;
        if (registered != null) {
            callProducer(registered::stopProducing, "stopProducing");
        }
        Failure failure = new Failure(reason);
        try {
            protocol.connectionLost(failure);
        } catch (Throwable e) {
            host.logError(e, "Unhandled error in " + name() + " (connectionLost" + (atShutdown ? " at shutdown" : "") + "):");
        }
        if (connector != null) {
            connector.connectionClosed(failure);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Transport

    @Override
    public void write(byte[] data) {
        host.checkThread();
        Objects.requireNonNull(data, "data");
        if (lost || writeShutDown || broken || data.length == 0) {
            return;
        }
        outbound.add(data.clone());
        outboundBytes += data.length;
        schedulePump();
        if (streaming && producer != null && !producerPaused && outboundBytes > sim.options().sendBufferHighWater()) {
            producerPaused = true;
            callProducer(((PushProducer) producer)::pauseProducing, "pauseProducing");
        }
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        int total = 0;
        for (byte[] part : data) {
            total += Objects.requireNonNull(part, "data").length;
        }
        byte[] joined = new byte[total];
        int at = 0;
        for (byte[] part : data) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        write(joined);
    }

    @Override
    public void loseConnection() {
        loseConnection(new ConnectionDone());
    }

    @Override
    public void loseConnection(Throwable reason) {
        host.checkThread();
        Objects.requireNonNull(reason, "reason");
        if (lost || disconnecting) {
            return;
        }
        disconnecting = true;
        closeReason = reason;
        schedulePump();
    }

    @Override
    public void abortConnection() {
        host.checkThread();
        if (lost || broken) {
            return;
        }
        broken = true;
        disconnecting = true;
        outbound.clear();
        outboundBytes = 0;
        host.soon(() -> {
            if (!lost) {
                sendReset();
                close(new ConnectionAborted());
            }
        });
    }

    @Override
    public void loseWriteConnection() {
        host.checkThread();
        if (lost || disconnecting || writeCloseRequested) {
            return;
        }
        writeCloseRequested = true;
        schedulePump();
    }

    @Override
    public boolean isDisconnecting() {
        return disconnecting;
    }

    @Override
    public Address getPeer() {
        return remote;
    }

    @Override
    public Address getHost() {
        return local;
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
    public void registerProducer(Producer newProducer, boolean isStreaming) {
        host.checkThread();
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
        host.checkThread();
        producer = null;
        producerPaused = false;
        if (!lost && (disconnecting || writeCloseRequested)) {
            schedulePump();
        }
    }

    @Override
    public void pauseProducing() {
        host.checkThread();
        readPaused = true;
    }

    @Override
    public void resumeProducing() {
        host.checkThread();
        readPaused = false;
        if (!lost && !inbound.isEmpty()) {
            host.soon(this::readBuffered);
        }
    }

    @Override
    public void stopProducing() {
        loseConnection();
    }

    @Override
    public String toString() {
        return "SimConnection[" + id + " " + local.host() + ":" + local.port() + " -> " + remote.host() + ":" + remote.port()
                + (lost ? " closed" : "") + "]";
    }
}
