package dev.twine.protocol.basic;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the receivers' fuzz tests share: limits and slicings drawn from the input, and a look at the buffer. */
final class FuzzFeed {
    private FuzzFeed() {
    }

    /** Mostly small limits (so that frames reach them), sometimes any int (so that arithmetic near the top is tried). */
    static int maxLength(FuzzedDataProvider data, int min) {
        return data.consumeBoolean() ? data.consumeInt(min, 40) : Math.max(min, data.consumeInt() & Integer.MAX_VALUE);
    }

    /** Up to 16 slice sizes (0 to 9 bytes; the last slice takes the rest). */
    static int[] sliceSizes(FuzzedDataProvider data) {
        int[] sizes = new int[data.consumeInt(0, 16)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = data.consumeInt(0, 9);
        }
        return sizes;
    }

    /** {@code input} cut at {@code sizes}, the rest in one last slice; empty slices are fed too. */
    static List<byte[]> slices(byte[] input, int[] sizes) {
        List<byte[]> slices = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            int end = Math.min(input.length, at + size);
            slices.add(Arrays.copyOfRange(input, at, end));
            at = end;
        }
        slices.add(Arrays.copyOfRange(input, at, input.length));
        return slices;
    }

    /** Every byte alone. */
    static List<byte[]> bytewise(byte[] input) {
        List<byte[]> slices = new ArrayList<>();
        for (byte b : input) {
            slices.add(new byte[] {b});
        }
        return slices;
    }

    /** Bytes as text, one char per byte, so that assertions show them exactly. */
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The receive buffer a receiver holds (a private field of the receiver classes). */
    static ReceiveBuffer bufferOf(Object receiver, Class<?> declaring) {
        try {
            Field field = declaring.getDeclaredField("buffer");
            field.setAccessible(true);
            return (ReceiveBuffer) field.get(receiver);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Memory a receiver may keep between reads: its limit plus framing, or a read's worth. The
     * buffer keeps at most four times what it holds above 64 KiB.
     */
    static void assertRetainedWithin(ReceiveBuffer buffer, long liveLimit) {
        if (buffer.size() > liveLimit) {
            throw new AssertionError("the receiver holds " + buffer.size() + " bytes, over its limit of " + liveLimit);
        }
        long capacityLimit = Math.max(ReceiveBuffer.KEEP_CAPACITY, 4L * buffer.size());
        if (buffer.capacity() > capacityLimit) {
            throw new AssertionError("the receiver keeps an array of " + buffer.capacity() + " bytes for "
                    + buffer.size() + " live bytes (at most " + capacityLimit + ")");
        }
    }
}
