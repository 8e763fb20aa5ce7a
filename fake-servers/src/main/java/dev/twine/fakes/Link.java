package dev.twine.fakes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One TCP connection on an {@link EventLoop}, recording into a {@link ConnectionLog}: reads go to
 * its {@link Listener}; writes are queued and sent as the socket takes them; it can close after
 * sending (FIN), half-close after sending, or reset. Loop thread only.
 */
final class Link implements EventLoop.Handler {
    private static final int READ_SIZE = 64 * 1024;

    /** What a link tells its owner. */
    interface Listener {
        /** Bytes arrived. */
        void data(Link link, byte[] data);

        /** The peer sent end of stream. By default the fake closes its side too (after sending). */
        default void peerClosed(Link link) {
            link.closeAfterSending();
        }

        /** The connection is closed, however. */
        default void ended(Link link) {
        }
    }

    final SocketChannel channel;
    final ConnectionLog log;
    private final EventLoop loop;
    private Listener listener;
    private SelectionKey key;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private boolean finAfterSending;
    private boolean halfCloseAfterSending;
    private boolean outputShut;
    private boolean reading = true;
    private boolean peerSentEnd;
    private boolean closed;

    Link(EventLoop loop, SocketChannel channel, ConnectionLog log, Listener listener) {
        this.loop = loop;
        this.channel = channel;
        this.log = log;
        this.listener = listener;
    }

    static String describe(SocketChannel channel) {
        try {
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            return remote.getAddress().getHostAddress() + ":" + remote.getPort();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static int remotePort(SocketChannel channel) {
        try {
            return ((InetSocketAddress) channel.getRemoteAddress()).getPort();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    void listener(Listener newListener) {
        this.listener = newListener;
    }

    /** Starts watching the socket. */
    void start() throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        key = loop.register(channel, SelectionKey.OP_READ, this);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void ready(SelectionKey k) {
        if (closed) {
            return;
        }
        if (k.isValid() && k.isReadable()) {
            read();
        }
        if (!closed && k.isValid() && k.isWritable()) {
            flush();
        }
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            end(Ending.RESET_BY_PEER);
            return;
        }
        if (n < 0) {
            stopReading();
            peerSentEnd = true;
            log.peerHalfClosed();
            if (outputShut) {
                end(Ending.CLOSED_BY_FAKE);
                return;
            }
            listener.peerClosed(this);
            return;
        }
        if (n > 0) {
            byte[] data = new byte[n];
            buffer.flip();
            buffer.get(data);
            log.received(data, n);
            listener.data(this, data);
        }
    }

    /** Stops reading (the peer's bytes wait in the kernel). */
    void stopReading() {
        reading = false;
        updateInterest();
    }

    /** Queues {@code data}; it is sent, in order, as the socket takes it. Ignored once closing. */
    void send(byte[] data) {
        if (closed || outputShut || finAfterSending || halfCloseAfterSending || data.length == 0) {
            return;
        }
        log.wrote(data.length);
        out.add(ByteBuffer.wrap(data));
        flush();
    }

    /** Sends what is queued, then closes cleanly (FIN). */
    void closeAfterSending() {
        if (closed) {
            return;
        }
        finAfterSending = true;
        flush();
    }

    /** Sends what is queued, then shuts the sending side (the peer reads end of stream) and keeps reading. */
    void halfCloseAfterSending() {
        if (closed) {
            return;
        }
        halfCloseAfterSending = true;
        flush();
    }

    /** Resets the connection now (RST), dropping anything queued. */
    void reset() {
        if (closed) {
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        end(Ending.RESET_BY_FAKE);
    }

    /** Closes now, dropping anything queued. */
    void closeNow() {
        end(Ending.CLOSED_BY_FAKE);
    }

    private void flush() {
        if (closed) {
            return;
        }
        try {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    updateInterest();
                    return;
                }
                out.poll();
            }
        } catch (IOException e) {
            end(Ending.RESET_BY_PEER);
            return;
        }
        if (finAfterSending) {
            end(peerSentEnd ? Ending.CLOSED_BY_PEER : Ending.CLOSED_BY_FAKE);
            return;
        }
        if (halfCloseAfterSending && !outputShut) {
            outputShut = true;
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                end(Ending.RESET_BY_PEER);
                return;
            }
        }
        updateInterest();
    }

    private void updateInterest() {
        if (closed || key == null || !key.isValid()) {
            return;
        }
        int ops = (reading ? SelectionKey.OP_READ : 0) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        key.interestOps(ops);
    }

    private void end(Ending how) {
        if (closed) {
            return;
        }
        closed = true;
        out.clear();
        log.ended(how);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        listener.ended(this);
    }
}
