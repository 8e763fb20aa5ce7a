package dev.twine.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.Ending;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chaos soak, short: 500 clients through every kind of fault, on each reactor; ./twine soak runs the long one. */
class SoakTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void fiveHundredClientsUnderChaosGetTheirPoemOrAClearFailureAndResourcesStayFlat(String reactor) throws Exception {
        Soak.Report report = Soak.run(new Soak.Options(500, Duration.ofMinutes(5), 17, 50, 25, 4, reactor), null);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        System.out.print(text.toString(StandardCharsets.UTF_8));

        assertThat(report.reactor()).isEqualTo(reactor);
        assertThat(report.clients()).isEqualTo(500);
        assertThat(report.outcomes().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(500);
        assertThat(report.wrong()).as("lost, mixed, duplicated or hung").isZero();
        assertThat(report.outcomes().get(Soak.Outcome.POEM)).isPositive();
        assertThat(report.faultRounds().values().stream().filter(n -> n > 0).count()).as("kinds of fault drawn").isGreaterThan(3);
        assertThat(report.flat()).as("resources flat: %s", report.samples()).isTrue();
    }

    @Test
    void aClientIsJudgedAgainstItsPoem() {
        byte[] poem = "roses are red".getBytes(StandardCharsets.UTF_8);
        assertThat(Soak.classify(record("roses are red", true), poem, Soak.Fault.RESET)).isEqualTo(Soak.Outcome.POEM);
        assertThat(Soak.classify(record("roses", true), poem, Soak.Fault.HALF_CLOSE)).isEqualTo(Soak.Outcome.CUT_BY_UPSTREAM_FAULT);
        assertThat(Soak.classify(record("roses", true), poem, Soak.Fault.LATENCY)).isEqualTo(Soak.Outcome.LOST);
        assertThat(Soak.classify(record("", true), poem, Soak.Fault.REFUSED)).isEqualTo(Soak.Outcome.CLEAR_FAILURE);
        assertThat(Soak.classify(record("", true), poem, Soak.Fault.NONE)).isEqualTo(Soak.Outcome.LOST);
        assertThat(Soak.classify(record("violets", true), poem, Soak.Fault.NONE)).isEqualTo(Soak.Outcome.MIXED);
        assertThat(Soak.classify(record("roses are redroses", true), poem, Soak.Fault.NONE)).isEqualTo(Soak.Outcome.DUPLICATED);
        assertThat(Soak.classify(record("roses", false), poem, Soak.Fault.NONE)).isEqualTo(Soak.Outcome.HUNG);
    }

    private static ClientRecord record(String received, boolean finished) {
        byte[] bytes = received.getBytes(StandardCharsets.UTF_8);
        return new ClientRecord("127.0.0.1:1", null, 0, bytes.length, bytes, Ending.CLOSED_BY_PEER, false, false, finished);
    }
}
