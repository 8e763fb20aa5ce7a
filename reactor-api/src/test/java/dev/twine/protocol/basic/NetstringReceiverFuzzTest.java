package dev.twine.protocol.basic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.twine.testing.StringTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NetstringReceiver against any bytes: nothing escapes to the reactor, the buffer stays within the
 * limit, the payloads delivered are exactly the well-formed frames at the start of the input (as a
 * plain reading of the format says) and a malformed one closes the connection with a {@link
 * NetstringParseException}; and every slicing of the input gives the same result, message included.
 * Replayed from {@code NetstringReceiverFuzzTestInputs/} by every build; {@code ./twine fuzz netstring} fuzzes.
 */
class NetstringReceiverFuzzTest {

    /** What one run delivered. */
    record Outcome(List<String> payloads, String fault) {
    }

    static final class Recorder extends NetstringReceiver {
        final List<String> payloads = new ArrayList<>();

        Recorder(int maxLength) {
            setMaxLength(maxLength);
        }

        @Override
        protected void stringReceived(byte[] payload) {
            payloads.add(FuzzFeed.text(payload));
        }
    }

    @FuzzTest
    void anySlicingDeliversTheWellFormedFramesOrNamesTheFault(FuzzedDataProvider data) {
        int maxLength = FuzzFeed.maxLength(data, 0);
        int[] sizes = FuzzFeed.sliceSizes(data);
        byte[] input = data.consumeRemainingAsBytes();

        Outcome whole = feed(maxLength, List.of(input));
        assertThat(whole.payloads()).isEqualTo(expected(maxLength, input).payloads());
        assertThat(whole.fault() != null).as("closed with a fault").isEqualTo(expected(maxLength, input).fault() != null);
        assertThat(feed(maxLength, FuzzFeed.slices(input, sizes))).isEqualTo(whole);
        assertThat(feed(maxLength, FuzzFeed.bytewise(input))).isEqualTo(whole);
    }

    private static Outcome feed(int maxLength, List<byte[]> slices) {
        Recorder receiver = new Recorder(maxLength);
        StringTransport transport = new StringTransport();
        receiver.makeConnection(transport);
        ReceiveBuffer buffer = FuzzFeed.bufferOf(receiver, NetstringReceiver.class);
        long digits = String.valueOf(maxLength).length();
        for (byte[] slice : slices) {
            receiver.dataReceived(slice);
            // While a length is read, at most its digits are held; then at most the payload and its comma, less one.
            FuzzFeed.assertRetainedWithin(buffer, Math.max(digits, maxLength));
        }
        Throwable reason = transport.closeReason();
        if (reason != null) {
            assertThat(reason).isInstanceOf(NetstringParseException.class).hasMessageContaining("netstring");
            assertThat(receiver.isBroken()).isTrue();
            assertThat(buffer.size()).as("bytes kept after the fault").isZero();
        }
        return new Outcome(receiver.payloads, reason == null ? null : reason.getMessage());
    }

    /** The format read plainly from the whole input: the payloads before the first fault, and whether there is one. */
    static Outcome expected(int maxLength, byte[] in) {
        List<String> payloads = new ArrayList<>();
        int at = 0;
        while (at < in.length) {
            long length = 0;
            int i = at;
            while (true) {
                if (i == in.length) {
                    return new Outcome(payloads, null); // the length is not all here
                }
                byte b = in[i];
                if (b == ':') {
                    if (i == at) {
                        return new Outcome(payloads, "no length");
                    }
                    break;
                }
                if (b < '0' || b > '9' || (i > at && in[at] == '0')) {
                    return new Outcome(payloads, "not a length");
                }
                length = length * 10 + (b - '0');
                if (length > maxLength) {
                    return new Outcome(payloads, "too long");
                }
                i++;
            }
            long start = i + 1L;
            if (in.length - start < length + 1) {
                return new Outcome(payloads, null); // the payload is not all here
            }
            if (in[(int) (start + length)] != ',') {
                return new Outcome(payloads, "no comma");
            }
            payloads.add(FuzzFeed.text(Arrays.copyOfRange(in, (int) start, (int) (start + length))));
            at = (int) (start + length + 1);
        }
        return new Outcome(payloads, null);
    }
}
