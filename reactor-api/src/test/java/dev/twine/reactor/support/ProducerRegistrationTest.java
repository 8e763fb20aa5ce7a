package dev.twine.reactor.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import org.junit.jupiter.api.Test;

class ProducerRegistrationTest {
    private final PushProducer push = new PushProducer() {
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
    private final PullProducer pull = new PullProducer() {
        @Override
        public void resumeProducing() {
        }

        @Override
        public void stopProducing() {
        }
    };

    @Test
    void aProducerOfTheKindItClaimsMayBeRegisteredWhereNoneIs() {
        assertThatCode(() -> ProducerRegistration.check(null, push, true)).doesNotThrowAnyException();
        assertThatCode(() -> ProducerRegistration.check(null, pull, false)).doesNotThrowAnyException();
    }

    @Test
    void aSecondProducerIsRefusedNamingBoth() {
        assertThatThrownBy(() -> ProducerRegistration.check(push, pull, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is registered and was never unregistered");
    }

    @Test
    void aProducerOfTheWrongKindIsRefused() {
        assertThatThrownBy(() -> ProducerRegistration.check(null, pull, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a streaming producer must be a PushProducer");
        assertThatThrownBy(() -> ProducerRegistration.check(null, push, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a non-streaming producer must be a PullProducer");
        assertThatThrownBy(() -> ProducerRegistration.check(null, null, true)).isInstanceOf(NullPointerException.class);
    }
}
