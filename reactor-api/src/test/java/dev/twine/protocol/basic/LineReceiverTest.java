package dev.twine.protocol.basic;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.testing.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReceiverTest {

    static class Recorder extends LineReceiver {
        final List<String> events = new ArrayList<>();

        @Override
        protected void lineReceived(byte[] line) {
            String text = new String(line, US_ASCII);
            events.add("line:" + text);
            if (text.equals("RAW")) {
                setRawMode();
            } else if (text.equals("QUIT")) {
                transport().loseConnection();
            }
        }

        @Override
        protected void rawDataReceived(byte[] data) {
            String text = new String(data, US_ASCII);
            int end = text.indexOf("END");
            if (end >= 0) {
                events.add("raw:" + text.substring(0, end));
                setLineMode(text.substring(end + 3).getBytes(US_ASCII));
            } else {
                events.add("raw:" + text);
            }
        }
    }

    private final Recorder receiver = new Recorder();
    private final StringTransport transport = new StringTransport();

    {
        receiver.makeConnection(transport);
    }

    private void feed(String data) {
        receiver.dataReceived(data.getBytes(US_ASCII));
    }

    @Test
    void splitsLinesAcrossAndWithinReads() {
        feed("one\r\ntw");
        feed("o\r");
        feed("\nthree\r\n\r\n");
        assertThat(receiver.events).containsExactly("line:one", "line:two", "line:three", "line:");
    }

    @Test
    void oneByteAtATime() {
        for (byte b : "a\r\nbc\r\n".getBytes(US_ASCII)) {
            receiver.dataReceived(new byte[] {b});
        }
        assertThat(receiver.events).containsExactly("line:a", "line:bc");
    }

    @Test
    void rawModeAndBackToLines() {
        feed("RAW\r\nsome bytes");
        feed(" moreEND\r\nlast\r\n");
        assertThat(receiver.events).containsExactly("line:RAW", "raw:some bytes", "raw: more", "line:", "line:last");
    }

    @Test
    void aLineLongerThanTheLimitClosesWithAReasonAndNothingFollows() {
        feed("x".repeat(LineReceiver.DEFAULT_MAX_LENGTH + 2));
        assertThat(transport.closeReason()).isInstanceOf(LineLengthExceededException.class)
                .hasMessageContaining("16384");
        feed("\r\nafter\r\n");
        assertThat(receiver.events).isEmpty();
    }

    @Test
    void aDelimitedLineOverTheLimitIsAlsoRefused() {
        feed("y".repeat(LineReceiver.DEFAULT_MAX_LENGTH + 1) + "\r\nnext\r\n");
        assertThat(transport.closeReason()).isInstanceOf(LineLengthExceededException.class);
        assertThat(receiver.events).isEmpty();
    }

    @Test
    void aLineExactlyAtTheLimitIsDelivered() {
        feed("z".repeat(LineReceiver.DEFAULT_MAX_LENGTH) + "\r\n");
        assertThat(receiver.events).singleElement().satisfies(e -> assertThat(e).hasSize(5 + 16384));
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void deliveryStopsOnceTheProtocolCloses() {
        feed("QUIT\r\nignored\r\n");
        assertThat(receiver.events).containsExactly("line:QUIT");
    }

    @Test
    void pausingHoldsLinesUntilResumed() {
        receiver.pauseProducing();
        feed("held\r\n");
        assertThat(receiver.events).isEmpty();
        assertThat(transport.producerState()).isEqualTo(StringTransport.ProducerState.PAUSED);
        receiver.resumeProducing();
        assertThat(receiver.events).containsExactly("line:held");
    }

    @Test
    void customDelimiterAndSendLine() {
        LineReceiver lf = new LineReceiver() {
            {
                setDelimiter(new byte[] {'\n'});
            }

            @Override
            protected void lineReceived(byte[] line) {
                sendLine(("echo " + new String(line, US_ASCII)).getBytes(US_ASCII));
            }
        };
        StringTransport t = new StringTransport();
        lf.makeConnection(t);
        lf.dataReceived("hi\nthere\n".getBytes(US_ASCII));
        assertThat(t.valueAsString()).isEqualTo("echo hi\necho there\n");
    }

    @Test
    void rawModeWithoutAnOverrideIsAnError() {
        LineReceiver plain = new LineReceiver() {
            @Override
            protected void lineReceived(byte[] line) {
                setRawMode();
            }
        };
        plain.makeConnection(new StringTransport());
        assertThatThrownBy(() -> plain.dataReceived("x\r\nraw".getBytes(US_ASCII)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("rawDataReceived");
    }
}
