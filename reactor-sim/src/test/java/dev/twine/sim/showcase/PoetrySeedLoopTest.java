package dev.twine.sim.showcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.sim.SimulationFailure;
import org.junit.jupiter.api.Test;

/**
 * The seed loop: the poetry showcase under 1,000 seeds with seeded faults (set twine.sim.runs for
 * more, twine.sim.seed for one), each a full run in virtual time. A deliberately broken client is
 * caught, and the seed printed replays its failure.
 */
class PoetrySeedLoopTest {

    private static long firstSeed() {
        return Long.getLong("twine.sim.seed", 0L);
    }

    private static long seeds() {
        return System.getProperty("twine.sim.seed") != null ? 1 : Long.getLong("twine.sim.runs", 1_000L);
    }

    @Test
    void everyPoemArrivesExactlyOrFailsWithAReasonUnderEverySeed() {
        int arrived = 0;
        int failed = 0;
        for (long seed = firstSeed(); seed < firstSeed() + seeds(); seed++) {
            Poetry.Result result = Poetry.run(seed, false);
            arrived += result.arrived();
            failed += result.failed();
        }
        System.out.println("poetry seed loop: " + seeds() + " seeds, " + arrived + " poems arrived, " + failed
                + " failed with a reason");
        assertThat(arrived).as("poems that arrived").isPositive();
        assertThat(failed).as("poems that failed with a reason (the faults must bite)").isPositive();
    }

    @Test
    void theLoopCatchesABrokenClientAndItsSeedReplaysTheFailure() {
        SimulationFailure caught = null;
        for (long seed = 0; seed < 1_000 && caught == null; seed++) {
            try {
                Poetry.run(seed, true);
            } catch (SimulationFailure e) {
                caught = e;
            }
        }
        assertThat(caught).as("a failing seed for the broken client").isNotNull();
        System.out.println("the broken client, caught by the seed loop:\n" + caught.getMessage());
        long seed = caught.seed();
        String message = caught.getMessage();
        assertThatThrownBy(() -> Poetry.run(seed, true)).as("replaying seed %d", seed).isInstanceOf(SimulationFailure.class)
                .hasMessage(message);
        assertThat(message).contains("seed=" + seed).contains("arrived different from the original");
    }
}
