package dev.twine.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpPoetryServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPoemsByNameAnd404sTheRest() throws Exception {
        try (HttpPoetryServer server = FakeServers.httpPoetry().start()) {
            HttpResponse<String> poem = get(server.url("alla-sera"));
            assertThat(poem.statusCode()).isEqualTo(200);
            assertThat(poem.body()).isEqualTo(Poems.named("alla-sera"));
            assertThat(poem.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(get("http://127.0.0.1:" + server.port() + "/poems/missing").statusCode()).isEqualTo(404);
            assertThat(server.requests()).extracting(HttpRequestRecord::path, HttpRequestRecord::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("/poems/alla-sera", 200),
                            org.assertj.core.groups.Tuple.tuple("/poems/missing", 404));
        }
    }

    @Test
    void delayedAndDribbledResponsesStillArriveWhole() throws Exception {
        try (HttpPoetryServer server = FakeServers.httpPoetry().delay(Duration.ofMillis(200)).dribble(5, Duration.ofMillis(300)).start()) {
            long start = System.nanoTime();
            HttpResponse<String> poem = get(server.url("science"));
            assertThat(poem.body()).isEqualTo(Poems.named("science"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not sooner than the delay").isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @ParameterizedTest
    @EnumSource(value = HttpFault.class, names = {"EMPTY_RESPONSE", "CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE"})
    void faultsBreakTheExchange(HttpFault fault) {
        try (HttpPoetryServer server = FakeServers.httpPoetry().fault(fault).start()) {
            assertThatThrownBy(() -> get(server.url("science"))).isInstanceOf(IOException.class);
            assertThat(server.requests()).singleElement().extracting(HttpRequestRecord::status).isEqualTo(0);
        }
    }

    @Test
    void aMalformedChunkCutsTheBodyShort() {
        try (HttpPoetryServer server = FakeServers.httpPoetry().fault(HttpFault.MALFORMED_RESPONSE_CHUNK).start()) {
            assertThatThrownBy(() -> get(server.url("science"))).isInstanceOf(IOException.class);
        }
    }
}
