package dev.twine.reactor.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.reactor.nio.StreamStates.Input;
import dev.twine.reactor.nio.StreamStates.Life;
import dev.twine.reactor.nio.StreamStates.Output;
import dev.twine.reactor.nio.StreamStates.Production;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The transition tables of a stream connection's states, written out here a second time: every
 * transition listed is taken, every other one is refused with a message naming both states.
 */
class StreamStatesTest {

    @Test
    void lifeGoesFromOpenThroughDisconnectingToLostAndNeverBack() {
        check(Life.values(), Life::to, "life", Set.of(
                "OPEN -> DISCONNECTING",
                "OPEN -> LOST",
                "DISCONNECTING -> LOST"));
    }

    @Test
    void inputIsPausedAndResumedByTheProtocolAndShutForGoodAtTheEndOfStream() {
        check(Input.values(), Input::to, "input", Set.of(
                "OPEN -> PAUSED",
                "PAUSED -> OPEN",
                "OPEN -> SHUT",
                "PAUSED -> SHUT"));
    }

    @Test
    void outputIsShutOnlyAfterACloseRequestAndCanBreakUntilBroken() {
        check(Output.values(), Output::to, "output", Set.of(
                "OPEN -> CLOSE_REQUESTED",
                "CLOSE_REQUESTED -> SHUT",
                "OPEN -> BROKEN",
                "CLOSE_REQUESTED -> BROKEN",
                "SHUT -> BROKEN"));
    }

    @Test
    void aProducerIsRegisteredFromNoneAndOnlyAStreamingOneIsPausedAndResumed() {
        check(Production.values(), Production::to, "producer", Set.of(
                "NONE -> STREAMING",
                "NONE -> PULL",
                "STREAMING -> PAUSED",
                "PAUSED -> STREAMING",
                "STREAMING -> NONE",
                "PAUSED -> NONE",
                "PULL -> NONE"));
    }

    private static <S extends Enum<S>> void check(S[] states, BiFunction<S, S, S> to, String aspect, Set<String> legal) {
        List<String> taken = new ArrayList<>();
        for (S from : states) {
            for (S next : states) {
                String transition = from + " -> " + next;
                if (legal.contains(transition)) {
                    assertThat(to.apply(from, next)).as(transition).isSameAs(next);
                    taken.add(transition);
                } else {
                    assertThatThrownBy(() -> to.apply(from, next))
                            .as(transition)
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("a stream connection's " + aspect + " cannot go from " + from + " to " + next);
                }
            }
        }
        assertThat(taken).as("every legal transition is between states of the enum").containsExactlyInAnyOrderElementsOf(legal);
    }
}
