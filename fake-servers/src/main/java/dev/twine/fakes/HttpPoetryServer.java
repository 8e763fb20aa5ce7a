package dev.twine.fakes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Poems over HTTP, on WireMock: {@code GET /poems/{name}} answers 200 with the poem as {@code
 * text/plain; charset=utf-8}; any other path 404. Optionally every poem response is delayed,
 * dribbled out in chunks over a duration, or replaced by one of WireMock's faults.
 */
public final class HttpPoetryServer implements AutoCloseable {
    private final WireMockServer server;

    HttpPoetryServer(Map<String, String> poems, Duration delay, int dribbleChunks, Duration dribbleOver, HttpFault fault,
            String iface, int port, Consumer<String> printer) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        var options = options().bindAddress(iface).containerThreads(8).asynchronousResponseEnabled(false)
                .notifier(new ConsoleNotifier(false));
        options = port == 0 ? options.dynamicPort() : options.port(port);
        server = new WireMockServer(options);
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/plain; charset=utf-8").withBody("No such poem.\n")));
        for (Map.Entry<String, String> poem : poems.entrySet()) {
            ResponseDefinitionBuilder response = aResponse().withStatus(200)
                    .withHeader("Content-Type", "text/plain; charset=utf-8").withBody(poem.getValue());
            if (!delay.isZero()) {
                response = response.withFixedDelay((int) delay.toMillis());
            }
            if (dribbleChunks > 0) {
                response = response.withChunkedDribbleDelay(dribbleChunks, (int) dribbleOver.toMillis());
            }
            if (fault != null) {
                response = response.withFault(Fault.valueOf(fault.name()));
            }
            server.stubFor(get(urlEqualTo("/poems/" + poem.getKey())).atPriority(1).willReturn(response));
        }
        printer.accept("Serving " + poems.size() + " poems over HTTP on http://" + iface + ":" + port() + "/poems/{name} ("
                + String.join(", ", poems.keySet()) + ")");
    }

    /** The address it listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** The URL of the poem called {@code name}. */
    public String url(String name) {
        return "http://" + host() + ":" + port() + "/poems/" + name;
    }

    /** The requests answered so far, oldest first. */
    public List<HttpRequestRecord> requests() {
        List<HttpRequestRecord> requests = new ArrayList<>();
        for (var event : server.getAllServeEvents()) {
            var response = event.getResponseDefinition();
            int status = response.getFault() != null ? 0 : response.getStatus();
            requests.add(new HttpRequestRecord(event.getRequest().getMethod().getName(), event.getRequest().getUrl(), status));
        }
        java.util.Collections.reverse(requests);
        return List.copyOf(requests);
    }

    /** Stops the server and closes its connections. */
    @Override
    public void close() {
        server.stop();
    }
}
