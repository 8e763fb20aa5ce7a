package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.UnixAddress;
import dev.twine.testing.Echo;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {
    private final Harness harness = new Harness();

    @TempDir
    Path directory;

    @Test
    void echoOverAUnixSocketAndTheFileIsRemovedAfterwards() {
        Path socket = directory.resolve("echo.sock");
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Object[] seen = new Object[2];
        String text = harness.run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenUNIX(socket, ProtocolFactory.forProtocol(Echo::new), 50);
            assertThat(Files.exists(socket)).isTrue();
            seen[0] = port.getHost();
            reactor.connectUNIX(socket, client, Duration.ofSeconds(5));
            Recorder protocol = await(client.built);
            await(protocol.connected);
            seen[1] = protocol.transport().getPeer();
            protocol.send("over a file");
            String echoed = new String(await(protocol.receivedAtLeast(11)), UTF_8);
            protocol.transport().loseConnection();
            await(client.lost);
            await(port.stopListening());
            return echoed;
        }));
        assertThat(text).isEqualTo("over a file");
        assertThat(seen[0]).isEqualTo(new UnixAddress(socket));
        assertThat(seen[1]).isEqualTo(new UnixAddress(socket));
        assertThat(socket).doesNotExist();
    }

    @Test
    void anExistingFileCannotBeListenedOnAndAMissingOneRefuses() throws Exception {
        Path taken = Files.createFile(directory.resolve("taken.sock"));
        NioReactor reactor = new NioReactor();
        assertThatThrownBy(() -> reactor.listenUNIX(taken, ProtocolFactory.forProtocol(Echo::new), 50))
                .isInstanceOf(CannotListenException.class);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Throwable reason = harness.run(r -> {
            r.connectUNIX(directory.resolve("missing.sock"), client, Duration.ofSeconds(5));
            return client.failed;
        });
        assertThat(reason).isInstanceOf(ConnectionRefusedException.class);
    }
}
