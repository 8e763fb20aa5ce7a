package dev.twine.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.reactor.nio.NioReactorProvider;
import dev.twine.sim.SimulationOptions;
import dev.twine.sim.scenarios.TcpScenarios;
import dev.twine.sim.scenarios.TcpScenarios.Outcome;
import dev.twine.sim.scenarios.TcpScenarios.Scenario;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential check of reactor-sim's TCP: every scenario of its catalogue, run on the nio
 * reactor over loopback and in a simulation, gives the same per-side event sequences (normalised
 * for slicing and timing). It lives here because reactor-sim may not depend on reactor-impl, and
 * conformance-tests cannot depend on reactor-sim (whose tests depend on conformance-tests).
 */
class SimDifferentialTest {

    static Stream<Scenario> scenarios() {
        return TcpScenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theSimulationAgreesWithTheNioReactor(Scenario scenario) {
        Outcome real = TcpScenarios.runOn(new NioReactorProvider().createReactor(), scenario);
        for (long seed = 0; seed < 5; seed++) {
            Outcome simulated = TcpScenarios.runSimulated(scenario, seed, SimulationOptions.defaults());
            assertThat(simulated).as("%s: simulation (seed %d) against nio", scenario, seed).isEqualTo(real);
        }
    }
}
