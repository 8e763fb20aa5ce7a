package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.charset.StandardCharsets;
import org.apiguardian.api.API;

/** Test data. */
@API(status = INTERNAL, since = "0.1")
public final class Bytes {
    private Bytes() {
    }

    /** {@code size} bytes of a pattern that shows where a byte went missing or out of order. */
    public static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + (i >>> 8) * 7 + (i >>> 16));
        }
        return data;
    }

    /** UTF-8. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Where {@code actual} first differs from {@code expected}, for failure messages, or -1. */
    public static int firstDifference(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                return i;
            }
        }
        return expected.length == actual.length ? -1 : n;
    }

    /** A sentence comparing what arrived with what was sent. */
    public static String describe(byte[] expected, byte[] actual) {
        int at = firstDifference(expected, actual);
        if (at < 0) {
            return "the same " + expected.length + " bytes";
        }
        return actual.length + " bytes arrived of the " + expected.length + " sent, differing from byte " + at;
    }
}
