package dev.twine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.IPv4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringTransportTest {
    private final StringTransport transport = new StringTransport();

    @Test
    void recordsWritesInOrderAndCanForgetThem() {
        transport.write("a".getBytes(StandardCharsets.UTF_8));
        transport.writeSequence(List.of("b".getBytes(StandardCharsets.UTF_8), "c".getBytes(StandardCharsets.UTF_8)));
        assertThat(transport.valueAsString()).isEqualTo("abc");
        transport.clear();
        assertThat(transport.value()).isEmpty();
    }

    @Test
    void recordsHowItWasClosed() {
        assertThat(transport.closeReason()).isNull();
        transport.loseConnection();
        transport.loseConnection(new IllegalStateException("second reason ignored"));
        assertThat(transport.isDisconnecting()).isTrue();
        assertThat(transport.closeReason()).isInstanceOf(ConnectionDone.class);
        transport.abortConnection();
        assertThat(transport.isAborted()).isTrue();
        assertThat(transport.closeReason()).isInstanceOf(ConnectionAborted.class);
    }

    @Test
    void producerRegistrationRules() {
        PushProducer producer = new PushProducer() {
            @Override
            public void pauseProducing() {
            }

            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
            }
        };
        transport.registerProducer(producer, true);
        assertThat(transport.producer()).isSameAs(producer);
        assertThat(transport.isStreaming()).isTrue();
        assertThatThrownBy(() -> transport.registerProducer(producer, true)).isInstanceOf(IllegalStateException.class);
        transport.unregisterProducer();
        assertThatThrownBy(transport::unregisterProducer).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> transport.registerProducer(producer, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesDefaultToTwistedsAndPrintLikeThem() {
        assertThat(transport.getHost()).isEqualTo(new IPv4Address("TCP", "10.0.0.1", 12345));
        assertThat(transport.getPeer()).hasToString("IPv4Address(type='TCP', host='192.168.1.1', port=54321)");
    }

    @Test
    void readingStateFollowsPauseResumeStop() {
        transport.pauseProducing();
        assertThat(transport.producerState()).isEqualTo(StringTransport.ProducerState.PAUSED);
        transport.resumeProducing();
        assertThat(transport.producerState()).isEqualTo(StringTransport.ProducerState.PRODUCING);
        transport.stopProducing();
        assertThatThrownBy(transport::resumeProducing).isInstanceOf(IllegalStateException.class);
    }
}
