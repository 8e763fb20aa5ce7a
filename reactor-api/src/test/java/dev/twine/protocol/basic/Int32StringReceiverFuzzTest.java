package dev.twine.protocol.basic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.twine.testing.StringTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Int32StringReceiver against any bytes, paused and resumed at any read: nothing escapes to the
 * reactor, the buffer stays within the limit (when not paused), nothing is delivered while paused,
 * the strings delivered are exactly the frames at the start of the input and an oversized prefix
 * closes the connection with a {@link LengthLimitExceededException}; every slicing gives the same
 * result. Replayed from {@code Int32StringReceiverFuzzTestInputs/}; {@code ./twine fuzz int32} fuzzes.
 */
class Int32StringReceiverFuzzTest {

    record Outcome(List<String> strings, String fault) {
    }

    static final class Recorder extends Int32StringReceiver {
        final List<String> strings = new ArrayList<>();

        Recorder(int maxLength) {
            setMaxLength(maxLength);
        }

        @Override
        protected void stringReceived(byte[] string) {
            strings.add(FuzzFeed.text(string));
        }
    }

    @FuzzTest
    void anySlicingAndPausingDeliversTheFramesOrNamesTheFault(FuzzedDataProvider data) {
        int maxLength = FuzzFeed.maxLength(data, 0);
        int[] sizes = FuzzFeed.sliceSizes(data);
        boolean[] pauseBefore = new boolean[sizes.length + 1];
        for (int i = 0; i < pauseBefore.length; i++) {
            pauseBefore[i] = data.consumeBoolean();
        }
        byte[] input = data.consumeRemainingAsBytes();

        Outcome whole = feed(maxLength, List.of(input), new boolean[1]);
        assertThat(whole).isEqualTo(expected(maxLength, input));
        assertThat(feed(maxLength, FuzzFeed.slices(input, sizes), pauseBefore)).isEqualTo(whole);
        assertThat(feed(maxLength, FuzzFeed.bytewise(input), new boolean[input.length])).isEqualTo(whole);
    }

    /** Feeds the slices; before slice i, pauses if {@code pauseBefore[i]} else resumes; resumes at the end. */
    private static Outcome feed(int maxLength, List<byte[]> slices, boolean[] pauseBefore) {
        Recorder receiver = new Recorder(maxLength);
        StringTransport transport = new StringTransport();
        receiver.makeConnection(transport);
        ReceiveBuffer buffer = FuzzFeed.bufferOf(receiver, Int32StringReceiver.class);
        boolean paused = false;
        for (int i = 0; i < slices.size(); i++) {
            boolean pause = i < pauseBefore.length && pauseBefore[i];
            if (pause && !paused) {
                receiver.pauseProducing();
            } else if (!pause && paused) {
                receiver.resumeProducing();
            }
            paused = pause;
            int delivered = receiver.strings.size();
            receiver.dataReceived(slices.get(i));
            if (paused) {
                assertThat(receiver.strings).as("delivered while paused").hasSize(delivered);
            } else {
                FuzzFeed.assertRetainedWithin(buffer, 3L + maxLength);
            }
        }
        if (paused) {
            receiver.resumeProducing();
            FuzzFeed.assertRetainedWithin(buffer, 3L + maxLength);
        }
        Throwable reason = transport.closeReason();
        if (reason != null) {
            assertThat(reason).isInstanceOf(LengthLimitExceededException.class).hasMessageContaining("exceeds the limit");
            assertThat(buffer.size()).as("bytes kept after the fault").isZero();
        }
        return new Outcome(receiver.strings, reason == null ? null : reason.getMessage());
    }

    static Outcome expected(int maxLength, byte[] in) {
        List<String> strings = new ArrayList<>();
        int at = 0;
        while (in.length - at >= 4) {
            long length = ((in[at] & 0xffL) << 24) | ((in[at + 1] & 0xffL) << 16) | ((in[at + 2] & 0xffL) << 8) | (in[at + 3] & 0xffL);
            if (length > maxLength) {
                return new Outcome(strings, new LengthLimitExceededException(length, maxLength).getMessage());
            }
            if (in.length - at - 4 < length) {
                break;
            }
            strings.add(FuzzFeed.text(Arrays.copyOfRange(in, at + 4, at + 4 + (int) length)));
            at += 4 + (int) length;
        }
        return new Outcome(strings, null);
    }
}
