package dev.twine.fakes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The serve command's own argument parsing against any text: {@code [HOST:]PORT} and durations in
 * seconds either give a value that reads back the same, or fail with an IllegalArgumentException
 * (which the command prints as one line, exit status 2) naming the option or the text; nothing
 * else escapes. Replayed from {@code ArgumentsFuzzTestInputs/}; {@code ./twine fuzz serve-host-port}
 * and {@code serve-duration} fuzz.
 */
class ArgumentsFuzzTest {

    @FuzzTest
    void hostPort(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Main.HostPort parsed;
        try {
            parsed = Main.HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            String port = text.substring(text.lastIndexOf(':') + 1);
            assertThat(e.getMessage()).as("the message names the text or its port").containsAnyOf(text, port);
            return;
        }
        assertThat(parsed.host()).isNotEmpty();
        assertThat(parsed.port()).isBetween(0, 65535);
        assertThat(Main.HostPort.parse(parsed.host() + ":" + parsed.port())).isEqualTo(parsed);
    }

    @FuzzTest
    void seconds(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Duration duration;
        try {
            duration = Main.seconds(text, "--delay");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("the message names the option and the text").startsWith("--delay").contains(text);
            return;
        }
        assertThat(duration.isNegative()).isFalse();
        // Exactly the number written, to the nanosecond.
        assertThat(new BigDecimal(text.trim()).movePointRight(9).compareTo(BigDecimal.valueOf(duration.toNanos()))).isZero();
    }
}
