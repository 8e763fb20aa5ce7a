package dev.twine.protocol.basic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.twine.testing.StringTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LineReceiver against any bytes and any delimiter, switching to raw mode for a counted number of
 * bytes (on a line {@code R<digit>}, or from outside between reads), changing delimiter (on a line
 * {@code D<bytes>}) and paused and resumed between reads, compared with a plain model of the same
 * rules that keeps its bytes in one array and searches from the start every time. Nothing escapes
 * to the reactor, the buffer stays within the limit while delivering, every byte is delivered in
 * order (as a line or raw) until a line over the limit closes the connection with a {@link
 * LineLengthExceededException}, and every slicing gives the same result. Replayed from {@code
 * LineReceiverFuzzTestInputs/}; {@code ./twine fuzz line} fuzzes.
 */
class LineReceiverFuzzTest {

    /** A read, or something done between reads. */
    sealed interface Step {
    }

    record Read(byte[] bytes) implements Step {
    }

    record RawFor(int count) implements Step {
    }

    record Pause(boolean paused) implements Step {
    }

    /** What the protocol does with a line, the same for the receiver and the model. */
    interface Script {
        List<String> events();

        void rawFor(int count);

        void delimiter(byte[] delimiter);

        default void line(byte[] line) {
            events().add("line:" + FuzzFeed.text(line));
            if (line.length == 2 && line[0] == 'R' && line[1] >= '1' && line[1] <= '9') {
                rawFor(line[1] - '0');
            } else if (line.length >= 2 && line.length <= 4 && line[0] == 'D') {
                delimiter(Arrays.copyOfRange(line, 1, line.length));
            }
        }

        default void raw(byte[] bytes) {
            List<String> events = events();
            if (bytes.length == 0) {
                return;
            }
            if (!events.isEmpty() && events.get(events.size() - 1).startsWith("raw:")) {
                events.set(events.size() - 1, events.get(events.size() - 1) + FuzzFeed.text(bytes));
            } else {
                events.add("raw:" + FuzzFeed.text(bytes));
            }
        }
    }

    static final class Receiver extends LineReceiver implements Script {
        final List<String> events = new ArrayList<>();
        private int rawLeft;

        Receiver(int maxLength, byte[] delimiter) {
            setMaxLength(maxLength);
            setDelimiter(delimiter);
        }

        @Override
        public List<String> events() {
            return events;
        }

        @Override
        public void rawFor(int count) {
            rawLeft = count;
            setRawMode();
        }

        @Override
        public void delimiter(byte[] delimiter) {
            setDelimiter(delimiter);
        }

        @Override
        protected void lineReceived(byte[] line) {
            line(line);
        }

        @Override
        protected void rawDataReceived(byte[] data) {
            int count = Math.min(rawLeft, data.length);
            raw(Arrays.copyOf(data, count));
            rawLeft -= count;
            if (rawLeft == 0) {
                setLineMode(Arrays.copyOfRange(data, count, data.length));
            }
        }
    }

    /** The rules read plainly: one array, searched from its start on every pass. */
    static final class Model implements Script {
        final List<String> events = new ArrayList<>();
        final int maxLength;
        byte[] delimiter;
        byte[] pending = new byte[0];
        int rawLeft;
        boolean paused;
        boolean faulted;

        Model(int maxLength, byte[] delimiter) {
            this.maxLength = maxLength;
            this.delimiter = delimiter;
        }

        @Override
        public List<String> events() {
            return events;
        }

        @Override
        public void rawFor(int count) {
            rawLeft = count;
        }

        @Override
        public void delimiter(byte[] newDelimiter) {
            delimiter = newDelimiter;
        }

        void read(byte[] bytes) {
            if (faulted) {
                return;
            }
            byte[] joined = Arrays.copyOf(pending, pending.length + bytes.length);
            System.arraycopy(bytes, 0, joined, pending.length, bytes.length);
            pending = joined;
            deliver();
        }

        void deliver() {
            while (pending.length > 0 && !paused && !faulted) {
                if (rawLeft > 0) {
                    int count = Math.min(rawLeft, pending.length);
                    raw(Arrays.copyOf(pending, count));
                    pending = Arrays.copyOfRange(pending, count, pending.length);
                    rawLeft -= count;
                    continue;
                }
                int at = -1;
                for (int i = 0; i + delimiter.length <= pending.length && at < 0; i++) {
                    if (Arrays.equals(pending, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                        at = i;
                    }
                }
                if (at < 0 ? (long) pending.length >= (long) maxLength + delimiter.length : at > maxLength) {
                    faulted = true;
                    pending = new byte[0];
                    return;
                }
                if (at < 0) {
                    return;
                }
                byte[] line = Arrays.copyOf(pending, at);
                pending = Arrays.copyOfRange(pending, at + delimiter.length, pending.length);
                line(line);
            }
        }
    }

    record Outcome(List<String> events, boolean fault) {
    }

    @FuzzTest
    void everyByteDeliveredInOrderAsThePlainModelSays(FuzzedDataProvider data) {
        int maxLength = FuzzFeed.maxLength(data, 1);
        byte[] delimiter = data.consumeBytes(data.consumeInt(1, 3));
        if (delimiter.length == 0) {
            delimiter = new byte[] {'\n'};
        }
        int[] sizes = FuzzFeed.sliceSizes(data);
        List<Step> between = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            int what = data.consumeInt(0, 7);
            between.add(what == 0 ? new RawFor(data.consumeInt(1, 9)) : what == 1 ? new Pause(true) : what == 2 ? new Pause(false) : null);
        }
        byte[] input = data.consumeRemainingAsBytes();

        Outcome whole = run(maxLength, delimiter, List.of(new Read(input)));
        assertThat(whole).isEqualTo(model(maxLength, delimiter, List.of(new Read(input))));
        assertThat(run(maxLength, delimiter, reads(FuzzFeed.slices(input, sizes), List.of()))).isEqualTo(whole);
        assertThat(run(maxLength, delimiter, reads(FuzzFeed.bytewise(input), List.of()))).isEqualTo(whole);
        List<Step> steps = reads(FuzzFeed.slices(input, sizes), between);
        assertThat(run(maxLength, delimiter, steps)).isEqualTo(model(maxLength, delimiter, steps));
    }

    /** The reads, each preceded by the step of the same index (if any); resumed at the end. */
    private static List<Step> reads(List<byte[]> slices, List<Step> between) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            if (i < between.size() && between.get(i) != null) {
                steps.add(between.get(i));
            }
            steps.add(new Read(slices.get(i)));
        }
        steps.add(new Pause(false));
        return steps;
    }

    private static Outcome run(int maxLength, byte[] delimiter, List<Step> steps) {
        Receiver receiver = new Receiver(maxLength, delimiter);
        StringTransport transport = new StringTransport();
        receiver.makeConnection(transport);
        ReceiveBuffer buffer = FuzzFeed.bufferOf(receiver, LineReceiver.class);
        boolean paused = false;
        for (Step step : steps) {
            if (step instanceof Read read) {
                int delivered = receiver.events.size();
                receiver.dataReceived(read.bytes());
                if (paused) {
                    assertThat(receiver.events).as("delivered while paused").hasSize(delivered);
                }
            } else if (step instanceof RawFor rawFor) {
                receiver.rawFor(rawFor.count());
            } else if (step instanceof Pause pause && pause.paused() != paused) {
                paused = pause.paused();
                if (paused) {
                    receiver.pauseProducing();
                } else {
                    receiver.resumeProducing();
                }
            }
            if (!paused) {
                // Less than a line and a delimiter (at most 3 bytes) is kept.
                FuzzFeed.assertRetainedWithin(buffer, maxLength + 2L);
            }
        }
        Throwable reason = transport.closeReason();
        if (reason != null) {
            assertThat(reason).isInstanceOf(LineLengthExceededException.class).hasMessageContaining("line too long");
            assertThat(buffer.size()).as("bytes kept after the fault").isZero();
        }
        return new Outcome(receiver.events, reason != null);
    }

    private static Outcome model(int maxLength, byte[] delimiter, List<Step> steps) {
        Model model = new Model(maxLength, delimiter);
        for (Step step : steps) {
            if (step instanceof Read read) {
                model.read(read.bytes());
            } else if (step instanceof RawFor rawFor) {
                model.rawFor(rawFor.count());
            } else if (step instanceof Pause pause) {
                model.paused = pause.paused();
                model.deliver();
            }
        }
        return new Outcome(model.events, model.faulted);
    }
}
