package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Echo;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RecordingClientFactory;
import dev.twine.conformance.harness.RecordingServerFactory;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorUnix;
import dev.twine.reactor.UnixAddress;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Unix domain sockets: Twisted's test_unix, with JDK socket channels as peers. */
public class UnixRules extends RuleSet {

    private static ReactorUnix unix(dev.twine.reactor.Reactor reactor) {
        if (!(reactor instanceof ReactorUnix unix)) {
            throw new AssertionError("the provider declares UNIX but its reactor does not implement ReactorUnix");
        }
        return unix;
    }

    private static Path freshDirectory() {
        try {
            // Unix socket paths are short (about 100 bytes): keep them under the system's temp directory.
            return Files.createTempDirectory("twine-unix");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDK client: connects to {@code path}, sends {@code text}, reads as many bytes back, then closes. */
    private static CompletableFuture<String> jdkClient(Path path, String text) {
        return Peer.run("unix-client", () -> {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(path));
                byte[] out = Bytes.utf8(text);
                channel.write(ByteBuffer.wrap(out));
                ByteBuffer in = ByteBuffer.allocate(out.length);
                while (in.hasRemaining() && channel.read(in) >= 0) {
                    // until it has as many bytes as it sent, or the end
                }
                return new String(in.array(), 0, in.position(), java.nio.charset.StandardCharsets.UTF_8);
            }
        });
    }

    @Rule(id = "UNIX-01", capability = Capability.UNIX, value = "listenUNIX creates the socket file and serves a client; "
            + "getHost() is its UnixAddress")
    @TrialTest
    void serveOverAUnixSocket(TrialContext test) throws Exception {
        Path directory = freshDirectory();
        try {
            Path socket = directory.resolve("echo.sock");
            Address[] host = new Address[1];
            RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
            String echoed = Rut.run(test, reactor -> {
                ListeningPort port = unix(reactor).listenUNIX(socket, factory, 50);
                host[0] = port.getHost();
                assertThat(socket).as("the socket file while listening").exists();
                return Poll.future(reactor, jdkClient(socket, "over a file")).addDeferredCallback(text ->
                        factory.first.addDeferredCallback(protocol -> protocol.lost).addCallback(ignored -> text));
            });
            assertThat(echoed).isEqualTo("over a file");
            assertThat(host[0]).isEqualTo(new UnixAddress(socket));
        } finally {
            delete(directory);
        }
    }

    @Rule(id = "UNIX-02", capability = Capability.UNIX, value = "connectUNIX reaches a server on a socket file, and "
            + "getPeer() is its UnixAddress")
    @TrialTest
    void connectOverAUnixSocket(TrialContext test) throws Exception {
        Path directory = freshDirectory();
        Path socket = directory.resolve("server.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Peer.run("unix-server", () -> {
                try (SocketChannel accepted = server.accept()) {
                    accepted.write(ByteBuffer.wrap(Bytes.utf8("hello from a file")));
                }
                return null;
            });
            RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
            Address[] peer = new Address[1];
            String text = Rut.run(test, reactor -> {
                unix(reactor).connectUNIX(socket, client, Duration.ofSeconds(5));
                return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                    peer[0] = protocol.transport().getPeer();
                    return protocol.lost.addCallback(ignored -> protocol.text());
                });
            });
            assertThat(text).isEqualTo("hello from a file");
            assertThat(peer[0]).isEqualTo(new UnixAddress(socket));
        } finally {
            delete(directory);
        }
    }

    @Rule(id = "UNIX-03", capability = Capability.UNIX, value = "listenUNIX on a path where a file exists throws "
            + "CannotListenException")
    @TrialTest
    void anExistingFileCannotBeListenedOn(TrialContext test) throws IOException {
        Path directory = freshDirectory();
        try {
            Path taken = Files.createFile(directory.resolve("taken.sock"));
            Rut.run(test, reactor -> {
                assertThatThrownBy(() -> unix(reactor).listenUNIX(taken, ProtocolFactory.forProtocol(Echo::new), 50))
                        .isInstanceOf(CannotListenException.class);
                return dev.twine.defer.Deferred.succeed(null);
            });
        } finally {
            delete(directory);
        }
    }

    @Rule(id = "UNIX-04", capability = Capability.UNIX, value = "connectUNIX to a path with no socket fails with "
            + "ConnectionRefusedException")
    @TrialTest
    void aMissingSocketRefuses(TrialContext test) {
        Path directory = freshDirectory();
        try {
            RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
            Throwable reason = Rut.run(test, reactor -> {
                unix(reactor).connectUNIX(directory.resolve("missing.sock"), client, Duration.ofSeconds(5));
                return client.failed;
            });
            assertThat(reason).isInstanceOf(ConnectionRefusedException.class);
        } finally {
            delete(directory);
        }
    }

    @Rule(id = "UNIX-05", capability = Capability.UNIX, value = "stopListening() on a Unix port removes its socket file "
            + "before its Deferred fires")
    @TrialTest
    void stopListeningRemovesTheFile(TrialContext test) {
        Path directory = freshDirectory();
        try {
            Path socket = directory.resolve("gone.sock");
            boolean existed = Rut.run(test, reactor -> {
                ListeningPort port = unix(reactor).listenUNIX(socket, ProtocolFactory.forProtocol(Echo::new), 50);
                boolean there = Files.exists(socket);
                return port.stopListening().addCallback(ignored -> there);
            });
            assertThat(existed).as("the file existed while listening").isTrue();
            assertThat(socket).as("the socket file after stopListening").doesNotExist();
        } finally {
            delete(directory);
        }
    }
}
