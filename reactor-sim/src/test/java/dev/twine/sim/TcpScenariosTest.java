package dev.twine.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.sim.scenarios.TcpScenarios;
import dev.twine.sim.scenarios.TcpScenarios.Outcome;
import dev.twine.sim.scenarios.TcpScenarios.Scenario;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential catalogue on the simulation: each scenario gives the same normalised sequences
 * under every seed (slicing and timing do not leak into them) and with small segments. The same
 * catalogue on the nio reactor over loopback is run by the benchmarks module's
 * SimDifferentialTest, which checks the sequences agree.
 */
class TcpScenariosTest {

    static Stream<Scenario> scenarios() {
        return TcpScenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sameSequencesUnderEverySeed(Scenario scenario) {
        Outcome first = TcpScenarios.runSimulated(scenario, 0, SimulationOptions.defaults());
        assertThat(first.client()).as("client of %s", scenario).isNotEmpty();
        for (long seed = 1; seed <= 25; seed++) {
            SimulationOptions options = seed % 5 == 0 ? SimulationOptions.defaults().withMaxSegment(512).withBuffers(4096, 8192)
                    : SimulationOptions.defaults();
            Outcome other = TcpScenarios.runSimulated(scenario, seed, options);
            assertThat(other).as("%s, seed %d", scenario, seed).isEqualTo(first);
        }
    }

    @org.junit.jupiter.api.Test
    void theCatalogueHasAtLeastThirtyScenarios() {
        List<Scenario> all = TcpScenarios.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(30);
        assertThat(all.stream().map(Scenario::name).distinct()).hasSameSizeAs(all);
    }
}
