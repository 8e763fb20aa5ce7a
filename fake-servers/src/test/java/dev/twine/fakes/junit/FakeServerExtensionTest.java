package dev.twine.fakes.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.TransformServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

class FakeServerExtensionTest {
    static final List<Integer> PORTS = new ArrayList<>();

    /** Run by the test kit, not by Surefire (it is not named *Test). */
    static class PerClass {
        @RegisterExtension
        static FakeServerExtension<TransformServer> transform = FakeServerExtension.of(FakeServers.transform());

        @Test
        void first() {
            PORTS.add(transform.server().port());
        }

        @Test
        void second() {
            PORTS.add(transform.server().port());
        }
    }

    /** Run by the test kit. */
    static class PerTest {
        @RegisterExtension
        FakeServerExtension<TransformServer> transform = FakeServerExtension.of(FakeServers.transform());

        @Test
        void first() {
            PORTS.add(transform.server().port());
        }

        @Test
        void second() {
            PORTS.add(transform.server().port());
        }
    }

    @Test
    void aStaticFieldGivesOneServerForTheClassClosedAfterwards() {
        PORTS.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerClass.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(PORTS).hasSize(2).containsOnly(PORTS.get(0));
        assertRefuses(PORTS.get(0));
    }

    @Test
    void anInstanceFieldGivesEachTestItsOwnServer() {
        PORTS.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerTest.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(PORTS).hasSize(2).doesNotHaveDuplicates();
        PORTS.forEach(FakeServerExtensionTest::assertRefuses);
    }

    private static void assertRefuses(int port) {
        ClientRecord client = FakeClient.to("127.0.0.1", port).start().await(Duration.ofSeconds(10));
        assertThat(client.connectError()).as("closed after its scope").isNotNull();
    }
}
