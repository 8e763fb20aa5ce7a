package dev.twine.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The transform server's request parser against any bytes in any slicing, compared with a plain
 * reading of the protocol: the frames of the first read that completes one are answered in order
 * (a reply, or a fault recorded) up to the first malformed one, then the connection is finished
 * cleanly (or dropped, for a payload that is not UTF-8); nothing escapes, and less than a frame is
 * held while waiting, nothing once finished. Replayed from {@code TransformRequestsFuzzTestInputs/};
 * {@code ./twine fuzz transform} fuzzes.
 */
class TransformRequestsFuzzTest {

    /** Records what the parser did to its connection. */
    static final class Recording implements TransformServer.Connection {
        final List<String> events = new ArrayList<>();
        boolean ended;

        @Override
        public void fault(FaultKind kind, String detail) {
            assertThat(detail).isNotBlank();
            events.add("fault:" + kind);
        }

        @Override
        public void send(byte[] frame) {
            assertThat(ended).as("sent after the end").isFalse();
            events.add("send:" + new String(frame, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void finish() {
            end("finish");
        }

        @Override
        public void drop() {
            end("drop");
        }

        private void end(String how) {
            assertThat(ended).as("ended twice").isFalse();
            ended = true;
            events.add(how);
        }
    }

    @FuzzTest
    void answersAsThePlainReadingSaysInAnySlicing(FuzzedDataProvider data) {
        int[] sizes = new int[data.consumeInt(0, 12)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = data.consumeInt(0, 12);
        }
        byte[] input = data.consumeRemainingAsBytes();
        List<byte[]> slices = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            slices.add(Arrays.copyOfRange(input, at, Math.min(input.length, at + size)));
            at = Math.min(input.length, at + size);
        }
        slices.add(Arrays.copyOfRange(input, at, input.length));

        assertThat(run(List.of(input))).isEqualTo(model(List.of(input)));
        assertThat(run(slices)).isEqualTo(model(slices));
    }

    private static List<String> run(List<byte[]> slices) {
        Recording connection = new Recording();
        TransformServer.Requests requests = new TransformServer.Requests(connection);
        for (byte[] slice : slices) {
            requests.data(slice);
            if (connection.ended) {
                assertThat(requests.buffered()).as("bytes held once ended").isZero();
            } else {
                // At most a length (6 digits at most before it is refused), ':', the payload and ',', less one byte.
                assertThat(requests.buffered()).isLessThan(6 + 1 + TransformServer.MAX_LENGTH + 1);
            }
        }
        return connection.events;
    }

    /** The protocol read plainly: reads are joined until one completes a frame or shows a fault. */
    static List<String> model(List<byte[]> slices) {
        List<String> events = new ArrayList<>();
        byte[] pending = new byte[0];
        for (byte[] slice : slices) {
            byte[] joined = Arrays.copyOf(pending, pending.length + slice.length);
            System.arraycopy(slice, 0, joined, pending.length, slice.length);
            pending = joined;
            int at = 0;
            boolean answered = false;
            while (true) {
                int i = at;
                long length = 0;
                String fault = null;
                while (i < pending.length && pending[i] != ':') {
                    byte b = pending[i];
                    if (b < '0' || b > '9' || (i > at && pending[at] == '0')) {
                        fault = "fault:MALFORMED_NETSTRING";
                        break;
                    }
                    length = length * 10 + (b - '0');
                    if (length > TransformServer.MAX_LENGTH) {
                        fault = "fault:OVERSIZED_LENGTH";
                        break;
                    }
                    i++;
                }
                if (fault == null && i < pending.length && i == at) {
                    fault = "fault:MALFORMED_NETSTRING"; // ':' with no length
                }
                if (fault == null && i + 1 + length < pending.length && pending[(int) (i + 1 + length)] != ',') {
                    fault = "fault:MALFORMED_NETSTRING";
                }
                if (fault != null) {
                    events.add(fault);
                    events.add("finish");
                    return events;
                }
                if (i >= pending.length || i + 1 + length >= pending.length) {
                    break; // not all here
                }
                byte[] payload = Arrays.copyOfRange(pending, i + 1, (int) (i + 1 + length));
                at = (int) (i + 1 + length + 1);
                answered = true;
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
                } catch (CharacterCodingException e) {
                    events.add("fault:INVALID_UTF8");
                    events.add("drop");
                    return events;
                }
                int dot = text.indexOf('.');
                if (dot <= 0) {
                    events.add("fault:NO_TRANSFORM_NAME");
                } else if (!text.substring(0, dot).equals("cummingsify")) {
                    events.add("fault:UNKNOWN_TRANSFORM");
                } else {
                    byte[] poem = text.substring(dot + 1).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                    events.add("send:" + poem.length + ":" + new String(poem, StandardCharsets.ISO_8859_1) + ",");
                }
                if (at == pending.length) {
                    break;
                }
            }
            if (answered) {
                events.add("finish");
                return events;
            }
        }
        return events;
    }
}
