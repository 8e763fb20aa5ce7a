package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Peer;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorUnix;
import dev.twine.reactor.UnixAddress;
import dev.twine.testing.Echo;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/** Unix domain sockets: Twisted's test_unix, with JDK socket channels as peers. */
@API(status = INTERNAL, since = "0.1")
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

    /** A fresh directory for the rule's socket files, deleted after the rule. */
    private static Path freshDirectory(TrialContext test) {
        Path directory = freshDirectory();
        test.addCleanup(() -> delete(directory));
        return directory;
    }

    @Rule(id = "UNIX-01", capability = Capability.UNIX, value = "listenUNIX creates the socket file and serves a client; "
            + "getHost() is its UnixAddress")
    @TrialTest
    Deferred<Void> serveOverAUnixSocket(TrialContext test) {
        Path socket = freshDirectory(test).resolve("echo.sock");
        Address[] host = new Address[1];
        boolean[] existed = new boolean[1];
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = unix(reactor).listenUNIX(socket, factory, 50);
            host[0] = port.getHost();
            existed[0] = Files.exists(socket);
            return Poll.future(reactor, jdkClient(socket, "over a file")).addDeferredCallback(text ->
                    factory.first.addDeferredCallback(protocol -> protocol.lost).addCallback(ignored -> text));
        }).addVoidCallback(echoed -> {
            assertThat(existed[0]).as("the socket file existed while listening").isTrue();
            assertThat(echoed).as("what the client had echoed").isEqualTo("over a file");
            assertThat(host[0]).as("getHost()").isEqualTo(new UnixAddress(socket));
        });
    }

    @Rule(id = "UNIX-02", capability = Capability.UNIX, value = "connectUNIX reaches a server on a socket file, and "
            + "getPeer() is its UnixAddress")
    @TrialTest
    Deferred<Void> connectOverAUnixSocket(TrialContext test) throws IOException {
        Path socket = freshDirectory(test).resolve("server.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        test.addCleanup(() -> {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        server.bind(UnixDomainSocketAddress.of(socket));
        Peer.run("unix-server", () -> {
            try (SocketChannel accepted = server.accept()) {
                accepted.write(ByteBuffer.wrap(Bytes.utf8("hello from a file")));
            }
            return null;
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Address[] peer = new Address[1];
        return Rut.start(test, reactor -> {
            unix(reactor).connectUNIX(socket, client, Duration.ofSeconds(5));
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                peer[0] = protocol.transport().getPeer();
                return protocol.lost.addCallback(ignored -> protocol.text());
            });
        }).addVoidCallback(text -> {
            assertThat(text).as("what the server sent").isEqualTo("hello from a file");
            assertThat(peer[0]).as("getPeer()").isEqualTo(new UnixAddress(socket));
        });
    }

    @Rule(id = "UNIX-03", capability = Capability.UNIX, value = "listenUNIX on a path where a file exists throws "
            + "CannotListenException")
    @TrialTest
    Deferred<Void> anExistingFileCannotBeListenedOn(TrialContext test) throws IOException {
        Path taken = Files.createFile(freshDirectory(test).resolve("taken.sock"));
        return Rut.start(test, reactor -> {
            assertThatThrownBy(() -> unix(reactor).listenUNIX(taken, ProtocolFactory.forProtocol(Echo::new), 50))
                    .as("listenUNIX on an existing file").isInstanceOf(CannotListenException.class);
            return Deferred.succeed(null);
        });
    }

    @Rule(id = "UNIX-04", capability = Capability.UNIX, value = "connectUNIX to a path with no socket fails with "
            + "ConnectionRefusedException")
    @TrialTest
    Deferred<Void> aMissingSocketRefuses(TrialContext test) {
        Path directory = freshDirectory(test);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            unix(reactor).connectUNIX(directory.resolve("missing.sock"), client, Duration.ofSeconds(5));
            return client.failed;
        }).addVoidCallback(reason -> {
            assertThat(reason).as("the reason clientConnectionFailed was given").isInstanceOf(ConnectionRefusedException.class);
        });
    }

    /** Linux lists every Unix socket of the network namespace, with the path it is bound to. */
    private static final Path PROC_NET_UNIX = Path.of("/proc/net/unix");

    /** Whether a socket bound to {@code path} is still open on this machine; null if that cannot be known here. */
    static Boolean socketStillOpen(Path path) {
        if (!Files.isReadable(PROC_NET_UNIX)) {
            return null;
        }
        try {
            String wanted = path.toAbsolutePath().toString();
            return Files.readAllLines(PROC_NET_UNIX).stream().skip(1).map(String::trim)
                    .anyMatch(line -> line.endsWith(" " + wanted));
        } catch (IOException e) {
            return null;
        }
    }

    @Rule(id = "UNIX-05", capability = Capability.UNIX, value = "stopListening() on a Unix port closes its socket and "
            + "removes its socket file before its Deferred fires, while the reactor runs")
    @TrialTest
    Deferred<Void> stopListeningRemovesTheFile(TrialContext test) {
        Path socket = freshDirectory(test).resolve("gone.sock");
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = unix(reactor).listenUNIX(socket, ProtocolFactory.forProtocol(Echo::new), 50);
            seen.add(Files.exists(socket) ? "file while listening" : "no file while listening");
            return port.stopListening().addVoidCallback(ignored -> {
                // Still on the reactor's thread, in the Deferred's callback: the socket must be closed by now.
                seen.add(Files.exists(socket) ? "the socket file still there when stopListening's Deferred fired"
                        : "no file");
                if (Boolean.TRUE.equals(socketStillOpen(socket))) {
                    seen.add("the socket still open when stopListening's Deferred fired");
                }
            });
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("the socket file while listening, then when stopListening's Deferred fired")
                    .containsExactly("file while listening", "no file");
        });
    }
}
