package dev.twine.fakes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.fakes.junit.FakeServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transform server against the observations in the reference notes (Twisted 22.4, the tutorial's server). */
class TransformServerTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @RegisterExtension
    static FakeServerExtension<TransformServer> transform = FakeServerExtension.of(FakeServers.transform());

    private static ClientRecord ask(String request) {
        return ask(request.getBytes(UTF_8));
    }

    private static ClientRecord ask(byte[] request) {
        TransformServer server = transform.server();
        return FakeClient.to(server.host(), server.port()).send(request).start().await(LIMIT);
    }

    private static ConnectionRecord lastConnection() {
        TransformServer server = transform.server();
        ServerRecord seen = server.await(r -> r.connectionCount() > 0
                && r.connections().get(r.connectionCount() - 1).ending() != Ending.OPEN, LIMIT);
        return seen.connections().get(seen.connectionCount() - 1);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "27:cummingsify.HERE IS MY POEM,|15:here is my poem,",
        "12:cummingsify.,|0:,",
        "17:cummingsify.A.B.C,|5:a.b.c,",
        "\"7:xform.a,27:cummingsify.HERE IS MY POEM,\"|15:here is my poem,",
        "\"27:cummingsify.HERE IS MY POEM,\n\"|15:here is my poem,",
    })
    void answersAndCloses(String request, String reply) {
        ClientRecord client = ask(request);
        assertThat(client.receivedText()).isEqualTo(reply);
        assertThat(client.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
    }

    @Test
    void nonAsciiIsLowerCasedAndCountedInBytes() {
        assertThat(ask("16:cummingsify.ÀÉ,").receivedText()).isEqualTo("4:àé,");
    }

    @Test
    void oneByteAtATimeGetsTheSameAnswer() {
        TransformServer server = transform.server();
        ClientRecord client = FakeClient.to(server.host(), server.port())
                .sendSliced("27:cummingsify.HERE IS MY POEM,".getBytes(UTF_8), 1, Duration.ZERO).start().await(LIMIT);
        assertThat(client.receivedText()).isEqualTo("15:here is my poem,");
    }

    @ParameterizedTest(name = "[{index}] {0} -> no reply, {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "11:xform.HELLO,|UNKNOWN_TRANSFORM",
        "5:HELLO,|NO_TRANSFORM_NAME",
        "6:.HELLO,|NO_TRANSFORM_NAME",
        "abc:|MALFORMED_NETSTRING",
        "-1:|MALFORMED_NETSTRING",
        "015:cummingsify.abc,|MALFORMED_NETSTRING",
        "3:abcX|MALFORMED_NETSTRING",
        "\" 5:hello,\"|MALFORMED_NETSTRING",
        "100000:|OVERSIZED_LENGTH",
        "100000|OVERSIZED_LENGTH",
        "99999999999:|OVERSIZED_LENGTH",
    })
    void faultsGetNoReplyAndACleanCloseAndAreRecorded(String request, FaultKind fault) {
        ClientRecord client = ask(request);
        assertThat(client.bytesReceived()).isZero();
        assertThat(client.ending()).isEqualTo(Ending.CLOSED_BY_PEER);
        assertThat(lastConnection().faults()).extracting(Fault::kind).containsExactly(fault);
    }

    @Test
    void invalidUtf8DropsTheConnectionAndTheServerGoesOn() {
        byte[] notUtf8 = {'1', '3', ':', 'c', 'u', 'm', 'm', 'i', 'n', 'g', 's', 'i', 'f', 'y', '.', (byte) 0xff, ','};
        ClientRecord client = ask(notUtf8);
        assertThat(client.bytesReceived()).isZero();
        assertThat(lastConnection().faults()).extracting(Fault::kind).containsExactly(FaultKind.INVALID_UTF8);
        assertThat(ask("27:cummingsify.HERE IS MY POEM,").receivedText()).isEqualTo("15:here is my poem,");
    }

    @Test
    void theLargestRequestWorks() {
        String poem = "X".repeat(99999 - "cummingsify.".length());
        ClientRecord client = ask("99999:cummingsify." + poem + ",");
        assertThat(client.receivedText()).isEqualTo(poem.length() + ":" + poem.toLowerCase() + ",");
    }

    @Test
    void theLargestLengthAloneIsAcceptedAndAwaitsItsPayload() {
        TransformServer server = transform.server();
        ClientRecord client = FakeClient.to(server.host(), server.port()).send("99999:").close().start().await(LIMIT);
        assertThat(client.bytesReceived()).isZero();
        assertThat(lastConnection().faults()).isEmpty();
    }

    @Test
    void printsTheTutorialsStartLine() {
        TransformServer server = transform.server();
        assertThat(server.record().log().get(0))
                .isEqualTo("Serving transforms on IPv4Address(type='TCP', host='127.0.0.1', port=" + server.port() + ").");
    }
}
