package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The tutorial programs' {@code [host:]port} arguments against any text: a HostPort whose port is
 * in range and whose text parses back to itself, or an IllegalArgumentException saying, as the
 * tutorial does, what ports must be; nothing else escapes. Replayed from {@code
 * HostPortFuzzTestInputs/}; {@code ./twine fuzz host-port} fuzzes.
 */
class HostPortFuzzTest {

    @FuzzTest
    void parsesBackToItselfOrSaysWhatPortsMustBe(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        HostPort parsed;
        try {
            parsed = HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("Ports must be integers");
            return;
        }
        assertThat(parsed.host()).isNotEmpty();
        assertThat(parsed.port()).isBetween(0, 65535);
        assertThat(HostPort.parse(parsed.toString())).isEqualTo(parsed);
    }
}
