package dev.twine.protocol.basic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.protocol.ConnectionDone;
import dev.twine.testing.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Netstring framing, with the inputs the reference notes record for the tutorial's transform server. */
class NetstringReceiverTest {

    /** Records payloads; optionally closes after the first, as the transform server does. */
    static final class Recorder extends NetstringReceiver {
        final List<String> payloads = new ArrayList<>();
        boolean closeAfterEach;

        @Override
        protected void stringReceived(byte[] payload) {
            payloads.add(new String(payload, UTF_8));
            if (closeAfterEach) {
                transport().loseConnection();
            }
        }
    }

    private final Recorder receiver = new Recorder();
    private final StringTransport transport = new StringTransport();

    {
        receiver.makeConnection(transport);
    }

    private void feed(String data) {
        receiver.dataReceived(data.getBytes(UTF_8));
    }

    @Test
    void receivesTheTutorialsRequest() {
        feed("27:cummingsify.HERE IS MY POEM,");
        assertThat(receiver.payloads).containsExactly("cummingsify.HERE IS MY POEM");
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void receivesTheSameRequestOneByteAtATime() {
        for (byte b : "27:cummingsify.HERE IS MY POEM,".getBytes(UTF_8)) {
            receiver.dataReceived(new byte[] {b});
        }
        assertThat(receiver.payloads).containsExactly("cummingsify.HERE IS MY POEM");
    }

    @Test
    void emptyPayloadAndMultiByteText() {
        feed("0:,");
        receiver.dataReceived("4:àé,".getBytes(UTF_8));
        assertThat(receiver.payloads).containsExactly("", "àé");
    }

    @Test
    void framesAfterOneThatClosedTheConnectionAreStillParsed() {
        receiver.closeAfterEach = true;
        feed("7:xform.a,27:cummingsify.HERE IS MY POEM,");
        assertThat(receiver.payloads).containsExactly("xform.a", "cummingsify.HERE IS MY POEM");
    }

    @Test
    void theLargestLengthIsAcceptedAndWaitsForItsPayload() {
        feed("99999:");
        assertThat(transport.isDisconnecting()).isFalse();
        receiver.dataReceived(("x".repeat(99999) + ",").getBytes(UTF_8));
        assertThat(receiver.payloads).singleElement().satisfies(p -> assertThat(p).hasSize(99999));
    }

    @ParameterizedTest(name = "[{index}] {0} -> closed: {1}")
    @CsvSource(delimiter = '|', value = {
        "99999999999:|longer than the maximum of 99999",
        "100000|longer than the maximum of 99999",
        "100000:|longer than the maximum of 99999",
        "abc:|does not start with a length: found 'a'",
        "-1:|does not start with a length: found '-'",
        "' 5:hello,'|does not start with a length: found ' '",
        "015:|leading zero",
        ":|no length before ':'",
        "3:abcX|not terminated by a comma (got 'X')",
        "3:abc;|not terminated by a comma (got ';')",
    })
    void malformedInputClosesWithAReasonNamingTheFault(String input, String reason) {
        feed(input);
        assertThat(transport.isDisconnecting()).isTrue();
        assertThat(transport.closeReason()).isInstanceOf(NetstringParseException.class).hasMessageContaining(reason);
        assertThat(receiver.isBroken()).isTrue();
        assertThat(receiver.payloads).isEmpty();
    }

    @Test
    void nothingIsDeliveredAfterAFault() {
        feed("3:abc,X5:hello,");
        feed("5:world,");
        assertThat(receiver.payloads).containsExactly("abc");
        assertThat(transport.closeReason()).isInstanceOf(NetstringParseException.class);
    }

    @Test
    void sendStringFramesThePayload() {
        receiver.sendString("here is my poem".getBytes(UTF_8));
        receiver.sendString(new byte[0]);
        assertThat(transport.valueAsString()).isEqualTo("15:here is my poem,0:,");
    }

    @Test
    void aLowerLimitIsEnforced() {
        StringTransport atLimit = new StringTransport();
        StringTransport overLimit = new StringTransport();
        NetstringReceiver over = smallReceiver();
        over.makeConnection(overLimit);
        NetstringReceiver at = smallReceiver();
        at.makeConnection(atLimit);
        at.dataReceived("9:".getBytes(UTF_8));
        over.dataReceived("10:".getBytes(UTF_8));

        assertThat(atLimit.isDisconnecting()).isFalse();
        assertThat(overLimit.closeReason()).hasMessageContaining("maximum of 9");
    }

    private static NetstringReceiver smallReceiver() {
        return new NetstringReceiver() {
            {
                setMaxLength(9);
            }

            @Override
            protected void stringReceived(byte[] payload) {
            }
        };
    }

    @Test
    void plainLoseConnectionReasonIsConnectionDone() {
        receiver.closeAfterEach = true;
        feed("1:a,");
        assertThat(transport.closeReason()).isInstanceOf(ConnectionDone.class);
    }

    @Test
    void aLimitOfIntegerMaxValueWaitsForThePayloadInsteadOfOverflowing() {
        // Found while writing the fuzz test's model: the payload-complete check computed expected + 1.
        List<byte[]> payloads = new ArrayList<>();
        NetstringReceiver unlimited = new NetstringReceiver() {
            {
                setMaxLength(Integer.MAX_VALUE);
            }

            @Override
            protected void stringReceived(byte[] payload) {
                payloads.add(payload);
            }
        };
        unlimited.makeConnection(transport);
        unlimited.dataReceived((Integer.MAX_VALUE + ":abc").getBytes(UTF_8));
        assertThat(payloads).isEmpty();
        assertThat(transport.closeReason()).isNull();
    }
}
