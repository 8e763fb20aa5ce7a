package dev.twine.fakes.junit;

import dev.twine.fakes.FakeServers;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake server for JUnit Jupiter tests. Registered on a static field it runs for the whole class;
 * on an instance field, for each test. It is closed (every socket with it) when its scope ends.
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeServerExtension<TransformServer> transform = FakeServerExtension.of(FakeServers.transform());
 *
 * @Test
 * void cummingsifies() {
 *     int port = transform.server().port();
 *     ...
 * }
 * }</pre>
 *
 * @param <S> the server type
 */
public final class FakeServerExtension<S extends AutoCloseable>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Supplier<? extends S> starter;
    private S server;
    private boolean perClass;

    private FakeServerExtension(Supplier<? extends S> starter) {
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    /** An extension that starts the server {@code builder} describes. */
    public static <S extends AutoCloseable> FakeServerExtension<S> of(FakeServers.Builder<?, S> builder) {
        Objects.requireNonNull(builder, "builder");
        return new FakeServerExtension<>(builder::start);
    }

    /** An extension that starts its server with {@code starter}. */
    public static <S extends AutoCloseable> FakeServerExtension<S> starting(Supplier<? extends S> starter) {
        return new FakeServerExtension<>(starter);
    }

    /**
     * The running server.
     *
     * @throws IllegalStateException outside the extension's scope
     */
    public S server() {
        if (server == null) {
            throw new IllegalStateException("the fake server runs only while its test (or class) runs");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        server = starter.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            server = starter.get();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            closeServer();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        closeServer();
    }

    private void closeServer() throws Exception {
        S running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }
}
