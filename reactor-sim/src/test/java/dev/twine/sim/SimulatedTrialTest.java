package dev.twine.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.ListeningPort;
import dev.twine.trial.SetUp;
import dev.twine.trial.TrialTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** The trial engine runs a test that takes a {@link Simulation} once per seed (issue 15's trial integration). */
class SimulatedTrialTest {

    static final String POEM = "Out of the night that covers me, black as the pit from pole to pole";

    /** Sends the poem and closes, as the tutorial's slow poetry server does. */
    static final class PoetryServer extends Protocol {
        @Override
        public void connectionMade() {
            transport().write(POEM.getBytes(StandardCharsets.UTF_8));
            transport().loseConnection();
        }
    }

    /** Collects a poem until the connection closes; {@code carefulAboutResets} false makes it the broken client. */
    static final class PoetryClient extends Protocol {
        final ByteArrayOutputStream poem = new ByteArrayOutputStream();
        final Deferred<String> done = new Deferred<>();
        final boolean carefulAboutResets;

        PoetryClient(boolean carefulAboutResets) {
            this.carefulAboutResets = carefulAboutResets;
        }

        @Override
        public void dataReceived(byte[] data) {
            poem.writeBytes(data);
        }

        @Override
        public void connectionLost(Failure reason) {
            if (carefulAboutResets && !reason.check(ConnectionDone.class).equals(ConnectionDone.class)) {
                done.errback(reason);
            } else {
                done.callback(poem.toString(StandardCharsets.UTF_8)); // the broken client calls a partial poem done
            }
        }
    }

    static Deferred<String> fetch(Simulation sim, boolean careful) {
        SimulatedReactor server = sim.host("server");
        SimulatedReactor client = sim.host("client");
        ListeningPort port = server.listenTCP(10000, ProtocolFactory.forProtocol(PoetryServer::new));
        PoetryClient protocol = new PoetryClient(careful);
        client.connectTCP("server", 10000, (ClientFactory) address -> protocol);
        return protocol.done.addDeferredBoth((poem, failure) -> port.stopListening().addCallback(ignored -> {
            if (failure != null) {
                throw failure.raiseException();
            }
            return poem;
        }));
    }

    public static class Passing {
        @TrialTest
        @Simulated(runs = 20, firstSeed = 100)
        Deferred<Void> theWholePoemArrives(Simulation sim) {
            return fetch(sim, true).addVoidCallback(poem -> assertThat(poem).isEqualTo(POEM));
        }
    }

    public static class FailsOnSeed107 {
        @TrialTest
        @Simulated(runs = 20, firstSeed = 100)
        Deferred<Void> seed107IsBad(Simulation sim) {
            return fetch(sim, true).addVoidCallback(poem -> assertThat(sim.seed()).isNotEqualTo(107L));
        }
    }

    /** The broken client: a reset after 20 bytes gives it half a poem, which it calls the poem. */
    @Simulated(runs = 50, faults = "reset(host=server, after=20)")
    public static class BrokenClient {
        @TrialTest
        Deferred<Void> eitherThePoemOrAFailure(Simulation sim) {
            return fetch(sim, false).addVoidCallback(poem -> assertThat(poem).isEqualTo(POEM));
        }
    }

    public static class LeavesAPortOpen {
        @TrialTest
        @Simulated(runs = 3)
        Deferred<Void> forgetsToStopListening(Simulation sim) {
            sim.host("server").listenTCP(8000, ProtocolFactory.forProtocol(PoetryServer::new));
            return Deferred.succeed(null);
        }
    }

    public static class SimulationInASetUp {
        @SetUp
        void setUp(Simulation sim) {
        }

        @TrialTest
        void test() {
        }
    }

    private static EngineExecutionResults run(Class<?> type, Map<String, String> parameters) {
        return EngineTestKit.engine("twine-trial").configurationParameters(parameters).selectors(selectClass(type)).execute();
    }

    private static List<String> seedsRun(EngineExecutionResults results) {
        return results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }

    @Test
    void eachSeedIsAPassOfTheTest() {
        EngineExecutionResults results = run(Passing.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.started(20).succeeded(20).failed(0));
        assertThat(seedsRun(results)).first().isEqualTo("seed 100 (1 of at most 20)");
        assertThat(results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getUniqueId().getLastSegment())
                .map(segment -> segment.getType() + ":" + segment.getValue())).contains("seed:100", "seed:119");
    }

    @Test
    void theFirstFailingSeedStopsTheTestAndItsFailureNamesTheSeed() {
        EngineExecutionResults results = run(FailsOnSeed107.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.started(8).succeeded(7).failed(1));
        Event failed = results.testEvents().failed().list().get(0);
        assertThat(failed.getTestDescriptor().getDisplayName()).startsWith("seed 107");
        Throwable error = failed.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(error).isInstanceOf(SimulationFailure.class).hasMessageContaining("seed=107")
                .hasMessageContaining("-Dtwine.sim.seed=107");
        assertThat(((SimulationFailure) error).seed()).isEqualTo(107L);
        assertThat(error.getCause()).isInstanceOf(AssertionError.class);
    }

    @Test
    void aSeedsUniqueIdRunsThatSeedOnly() {
        EngineExecutionResults first = run(FailsOnSeed107.class, Map.of());
        Event failed = first.testEvents().failed().list().get(0);
        EngineExecutionResults again = EngineTestKit.engine("twine-trial")
                .selectors(selectUniqueId(failed.getTestDescriptor().getUniqueId())).execute();
        again.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(seedsRun(again)).containsExactly("seed 107");
    }

    @Test
    void theConfigurationChoosesOneSeedOrHowMany() {
        assertThat(seedsRun(run(FailsOnSeed107.class, Map.of("twine.sim.seed", "107")))).containsExactly("seed 107");
        EngineExecutionResults five = run(Passing.class, Map.of("twine.sim.runs", "5"));
        five.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
        EngineExecutionResults bad = run(Passing.class, Map.of("twine.sim.runs", "many"));
        bad.testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(bad.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow()).hasMessageContaining("twine.sim.runs must be a whole number");
    }

    @Test
    void theBrokenClientIsCaughtAndItsSeedReplaysTheFailure() {
        EngineExecutionResults results = run(BrokenClient.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.failed(1));
        Throwable error = results.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        long seed = ((SimulationFailure) error).seed();
        assertThat(error).hasMessageContaining("faults=[reset(host=server, after=20, at=0ms, for=forever)]");

        EngineExecutionResults replay = run(BrokenClient.class, Map.of("twine.sim.seed", String.valueOf(seed)));
        replay.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable again = replay.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(again.getCause()).hasMessage(error.getCause().getMessage());
    }

    @Test
    void aHostLeftListeningFailsTheTestNamingHostAndSeed() {
        EngineExecutionResults results = run(LeavesAPortOpen.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable error = results.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(error).hasMessageContaining("seed=1").hasMessageContaining("Simulated hosts were unclean")
                .hasMessageContaining("host server: still listening on TCP port(s) [8000]");
    }

    @Test
    void onlyATestMayTakeASimulation() {
        EngineExecutionResults results = run(SimulationInASetUp.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(results.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow()).hasMessageContaining("which only a @TrialTest method may take");
    }
}
