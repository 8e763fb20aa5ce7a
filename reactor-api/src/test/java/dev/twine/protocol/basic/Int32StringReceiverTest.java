package dev.twine.protocol.basic;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Int32StringReceiverTest {

    private final List<String> strings = new ArrayList<>();
    private final Int32StringReceiver receiver = new Int32StringReceiver() {
        @Override
        protected void stringReceived(byte[] string) {
            strings.add(new String(string, US_ASCII));
        }
    };
    private final StringTransport transport = new StringTransport();

    {
        receiver.makeConnection(transport);
    }

    private static byte[] frame(long length, String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((int) (length >>> 24));
        out.write((int) (length >>> 16));
        out.write((int) (length >>> 8));
        out.write((int) length);
        out.writeBytes(payload.getBytes(US_ASCII));
        return out.toByteArray();
    }

    @Test
    void receivesFramesWholeOrByteByByte() {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(frame(5, "hello"));
        both.writeBytes(frame(0, ""));
        both.writeBytes(frame(3, "bye"));
        for (byte b : both.toByteArray()) {
            receiver.dataReceived(new byte[] {b});
        }
        receiver.dataReceived(frame(2, "ok"));
        assertThat(strings).containsExactly("hello", "", "bye", "ok");
    }

    @Test
    void anOversizedPrefixClosesBeforeBufferingAndNothingFollows() {
        receiver.dataReceived(frame(0xFFFF_FFFFL, ""));
        assertThat(transport.closeReason()).isInstanceOf(LengthLimitExceededException.class)
                .hasMessageContaining("4294967295").hasMessageContaining("99999");
        receiver.dataReceived(frame(2, "no"));
        assertThat(strings).isEmpty();
    }

    @Test
    void sendStringPrefixesTheLength() {
        receiver.sendString("abc".getBytes(US_ASCII));
        assertThat(transport.value()).containsExactly(frame(3, "abc"));
    }
}
