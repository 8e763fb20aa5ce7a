package dev.twine.protocol.basic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * ReceiveBuffer against a plain byte list, under any sequence of appends (small and large), takes,
 * skips and searches: the same bytes come out, every search finds what a plain scan finds, and the
 * array kept is never more than four times the bytes held above 64 KiB. Replayed from {@code
 * ReceiveBufferFuzzTestInputs/}; {@code ./twine fuzz receive-buffer} fuzzes.
 */
class ReceiveBufferFuzzTest {

    @FuzzTest
    void behavesAsAPlainByteListAndKeepsLittleMemory(FuzzedDataProvider data) {
        ReceiveBuffer buffer = new ReceiveBuffer();
        byte[] model = new byte[0];
        int steps = 0;
        while (data.remainingBytes() > 0 && steps++ < 200) {
            switch (data.consumeInt(0, 4)) {
                case 0 -> {
                    byte[] bytes = data.consumeBytes(data.consumeInt(0, 16));
                    buffer.append(bytes);
                    model = concat(model, bytes);
                }
                case 1 -> {
                    // A large read: zeros and a marker, so that big sizes cost the fuzzer no input bytes.
                    byte[] bytes = new byte[data.consumeInt(0, 3 * ReceiveBuffer.KEEP_CAPACITY)];
                    if (bytes.length > 0) {
                        bytes[bytes.length - 1] = data.consumeByte();
                    }
                    buffer.append(bytes);
                    model = concat(model, bytes);
                }
                case 2 -> {
                    int count = data.consumeInt(0, model.length);
                    assertThat(buffer.take(count)).isEqualTo(Arrays.copyOf(model, count));
                    model = Arrays.copyOfRange(model, count, model.length);
                }
                case 3 -> {
                    int count = data.consumeInt(0, model.length);
                    buffer.skip(count);
                    model = Arrays.copyOfRange(model, count, model.length);
                }
                default -> {
                    byte[] delimiter = data.consumeBytes(data.consumeInt(1, 3));
                    if (delimiter.length == 0) {
                        break;
                    }
                    int from = data.consumeInt(-1, model.length + 1);
                    assertThat(buffer.indexOf(delimiter, from)).as("indexOf from %d", from).isEqualTo(indexOf(model, delimiter, from));
                }
            }
            assertThat(buffer.size()).isEqualTo(model.length);
            assertThat(buffer.isEmpty()).isEqualTo(model.length == 0);
            if (model.length > 0) {
                assertThat(buffer.at(model.length - 1)).isEqualTo(model[model.length - 1]);
                assertThat(buffer.at(0)).isEqualTo(model[0]);
            }
            FuzzFeed.assertRetainedWithin(buffer, Long.MAX_VALUE);
        }
        assertThat(buffer.takeAll()).isEqualTo(model);
        assertThat(buffer.capacity()).isLessThanOrEqualTo(ReceiveBuffer.KEEP_CAPACITY);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static int indexOf(byte[] in, byte[] delimiter, int from) {
        for (int i = Math.max(0, from); i + delimiter.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                return i;
            }
        }
        return -1;
    }
}
