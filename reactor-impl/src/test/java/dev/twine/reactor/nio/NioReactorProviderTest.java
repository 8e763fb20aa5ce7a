package dev.twine.reactor.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.reactor.Capability;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.ReactorTLS;
import dev.twine.reactor.ReactorUDP;
import dev.twine.reactor.ReactorUnix;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class NioReactorProviderTest {

    @Test
    void isTheDefaultProviderAndDeclaresEveryCapabilityItImplements() {
        ReactorProvider provider = ReactorProvider.select(null, getClass().getClassLoader());
        assertThat(provider).isInstanceOf(NioReactorProvider.class);
        assertThat(provider.name()).isEqualTo("nio");
        assertThat(ReactorProvider.select("nio", getClass().getClassLoader())).isInstanceOf(NioReactorProvider.class);
        assertThat(provider.capabilities()).isEqualTo(EnumSet.allOf(Capability.class));
        var reactor = provider.createReactor();
        for (Capability capability : provider.capabilities()) {
            assertThat(capability.contract().isInstance(reactor)).as(capability.name()).isTrue();
        }
        assertThat(reactor).isInstanceOf(ReactorUDP.class).isInstanceOf(ReactorUnix.class)
                .isInstanceOf(ReactorTLS.class).isInstanceOf(ReactorDescriptors.class);
        assertThat(provider.createReactor()).isNotSameAs(reactor);
    }
}
