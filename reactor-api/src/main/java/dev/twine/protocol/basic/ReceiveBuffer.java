package dev.twine.protocol.basic;

import java.util.Arrays;

/** Bytes received but not yet consumed by a framing protocol. Package-private plumbing. */
final class ReceiveBuffer {
    /**
     * The array kept however little it holds: a read's worth. Above it, the array is at most four
     * times the bytes held, so that one large read followed by a small partial frame does not pin
     * the large read's memory for as long as the connection lives.
     */
    static final int KEEP_CAPACITY = 65536;

    private byte[] bytes = new byte[0];
    private int start;
    private int end;

    void append(byte[] data) {
        if (data.length == 0) {
            return;
        }
        if (end + data.length > bytes.length) {
            int live = end - start;
            int needed = live + data.length;
            byte[] target = needed <= bytes.length ? bytes : new byte[Math.max(needed, bytes.length * 2)];
            System.arraycopy(bytes, start, target, 0, live);
            bytes = target;
            start = 0;
            end = live;
        }
        System.arraycopy(data, 0, bytes, end, data.length);
        end += data.length;
    }

    int size() {
        return end - start;
    }

    boolean isEmpty() {
        return start == end;
    }

    byte at(int index) {
        return bytes[start + index];
    }

    /** The index of {@code delimiter} at or after {@code from}, or -1. */
    int indexOf(byte[] delimiter, int from) {
        int last = end - delimiter.length;
        outer:
        for (int i = start + Math.max(0, from); i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (bytes[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /** Removes and returns the first {@code count} bytes. */
    byte[] take(int count) {
        byte[] taken = Arrays.copyOfRange(bytes, start, start + count);
        skip(count);
        return taken;
    }

    void skip(int count) {
        start += count;
        if (start == end) {
            start = 0;
            end = 0;
            if (bytes.length > KEEP_CAPACITY) {
                bytes = new byte[0]; // do not keep a large buffer for an idle connection
            }
        } else if (bytes.length > KEEP_CAPACITY && (long) (end - start) * 4 < bytes.length) {
            // Copying the live bytes costs less than the bytes consumed since the array was this large.
            bytes = Arrays.copyOfRange(bytes, start, start + Math.max(2 * (end - start), KEEP_CAPACITY / 2));
            end -= start;
            start = 0;
        }
    }

    /** The length of the array held (the memory kept), for tests. */
    int capacity() {
        return bytes.length;
    }

    /** Removes and returns everything. */
    byte[] takeAll() {
        return take(size());
    }
}
