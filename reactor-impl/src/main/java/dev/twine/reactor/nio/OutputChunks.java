package dev.twine.reactor.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * The bytes a connection has been given to send and has not sent yet, in direct buffers taken from
 * its reactor's {@link Pool}. Each byte written is copied once, into a chunk, and goes to the socket
 * from there with gathering writes (no further copy by the JDK, which copies heap buffers into
 * direct ones before writing them). Chunks go back to the pool as soon as they are sent, so an
 * idle connection holds none.
 */
final class OutputChunks {
    static final int CHUNK_SIZE = 64 * 1024;
    private static final int MAX_GATHER = 64;

    private final Pool pool;
    /**
     * Sized for the common case (a chunk or two between flushes): an idle connection's queue costs
     * tens of bytes, not a default deque's hundred; it grows when a connection queues more.
     */
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>(2);
    /**
     * Reused for gathering writes of several chunks, made at the first such write; only the first
     * {@code n} slots are set for a write of n chunks.
     */
    private ByteBuffer[] gather;
    private long size;

    OutputChunks(Pool pool) {
        this.pool = pool;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long size() {
        return size;
    }

    /** Copies {@code data} (from its position to its limit) in, consuming it. */
    void add(ByteBuffer data) {
        while (data.hasRemaining()) {
            ByteBuffer tail = chunks.peekLast();
            if (tail == null || tail.limit() == tail.capacity()) {
                tail = pool.take();
                chunks.addLast(tail);
            }
            int n = Math.min(data.remaining(), tail.capacity() - tail.limit());
            int at = tail.limit();
            tail.limit(at + n);
            tail.put(at, data, data.position(), n);
            data.position(data.position() + n);
            size += n;
        }
    }

    /**
     * Takes {@code chunk} (a chunk of this pool, its bytes from position to limit) as it is, with
     * no copy; it goes back to the pool once sent.
     */
    void addOwned(ByteBuffer chunk) {
        chunks.addLast(chunk);
        size += chunk.remaining();
    }

    /**
     * Writes as much as the channel takes. Returns the number of bytes written; what is left stays
     * queued. Drained chunks go back to the pool.
     */
    long writeTo(GatheringByteChannel channel) throws IOException {
        long written = 0;
        while (size > 0) {
            int n = Math.min(chunks.size(), MAX_GATHER);
            long w;
            if (n == 1) {
                w = channel.write(chunks.peekFirst());
            } else {
                if (gather == null || gather.length < n) {
                    gather = new ByteBuffer[Math.max(n, gather == null ? 4 : gather.length * 2)];
                }
                int i = 0;
                for (ByteBuffer chunk : chunks) {
                    if (i == n) {
                        break;
                    }
                    gather[i++] = chunk;
                }
                w = channel.write(gather, 0, n);
                java.util.Arrays.fill(gather, 0, n, null);
            }
            written += w;
            size -= w;
            if (pool.faultPartialWriteIsComplete && size > 0) {
                clear(); // the fault a broken reactor of the conformance suite injects
                return written;
            }
            ByteBuffer head;
            while ((head = chunks.peekFirst()) != null && !head.hasRemaining()) {
                pool.give(chunks.pollFirst());
            }
            if (w == 0 || size > 0 && n < MAX_GATHER) {
                break; // the socket is full
            }
        }
        return written;
    }

    /** Drops everything queued. */
    void clear() {
        ByteBuffer chunk;
        while ((chunk = chunks.pollFirst()) != null) {
            pool.give(chunk);
        }
        size = 0;
    }

    /** A reactor's spare chunks; the reactor thread is its only user. */
    static final class Pool {
        private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        private final int keep;
        /** Fault hooks for the conformance suite's broken reactors (test scope); false in every real reactor. */
        boolean faultPartialWriteIsComplete;
        boolean faultResumeForgetsPause;

        Pool(int keep) {
            this.keep = keep;
        }

        ByteBuffer take() {
            ByteBuffer chunk = free.pollFirst();
            if (chunk == null) {
                chunk = ByteBuffer.allocateDirect(CHUNK_SIZE);
            }
            chunk.clear().limit(0);
            return chunk;
        }

        void give(ByteBuffer chunk) {
            if (free.size() < keep) {
                free.addFirst(chunk);
            }
        }
    }
}
