package dev.twine.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.testing.MemoryReactor;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Finding providers; the test resources register {@link TestMemoryProvider}. */
class ReactorProviderTest {

    /** A provider of memory reactors, registered in this module's test resources. */
    public static final class TestMemoryProvider implements ReactorProvider {
        @Override
        public String name() {
            return "test-memory";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.CORE, Capability.TIME, Capability.THREADS, Capability.TCP);
        }

        @Override
        public Reactor createReactor() {
            return new MemoryReactor();
        }
    }

    /** A provider nobody registered, to be named by class. */
    public static final class UnregisteredProvider implements ReactorProvider {
        @Override
        public String name() {
            return "unregistered";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.CORE);
        }

        @Override
        public Reactor createReactor() {
            return new MemoryReactor();
        }
    }

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void theOnlyRegisteredProviderIsTheDefault() {
        assertThat(ReactorProvider.available(loader)).extracting(ReactorProvider::name).containsExactly("test-memory");
        assertThat(ReactorProvider.select(null, loader).name()).isEqualTo("test-memory");
        assertThat(ReactorProvider.select("  ", loader).name()).isEqualTo("test-memory");
    }

    @Test
    void selectByNameOrClassName() {
        assertThat(ReactorProvider.select("test-memory", loader)).isInstanceOf(TestMemoryProvider.class);
        assertThat(ReactorProvider.select(UnregisteredProvider.class.getName(), loader)).isInstanceOf(UnregisteredProvider.class);
        assertThat(ReactorProvider.select("test-memory", loader).createReactor()).isInstanceOf(MemoryReactor.class);
    }

    @Test
    void clearErrorsListWhatIsAvailable() {
        assertThatThrownBy(() -> ReactorProvider.select("netty", loader))
                .isInstanceOf(ReactorProviderException.class)
                .hasMessageContaining("No ReactorProvider is called 'netty'")
                .hasMessageContaining("test-memory (" + TestMemoryProvider.class.getName() + ")");
        assertThatThrownBy(() -> ReactorProvider.select(String.class.getName(), loader))
                .hasMessageContaining("does not implement");
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> ReactorProvider.select(null, empty))
                    .isInstanceOf(ReactorProviderException.class)
                    .hasMessageContaining("No ReactorProvider is registered")
                    .hasMessageContaining("twine-reactor-impl");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void capabilitiesKnowTheirContracts() {
        assertThat(Capability.TCP.isRequired()).isTrue();
        assertThat(Capability.UDP.isRequired()).isFalse();
        assertThat(Capability.UNIX.contract()).isEqualTo(ReactorUnix.class);
        assertThat(new MemoryReactor().as(ReactorUnix.class)).isInstanceOf(MemoryReactor.class);
        assertThatThrownBy(() -> new MemoryReactor().as(ReactorUDP.class)).isInstanceOf(UnsupportedOperationException.class);
    }
}
