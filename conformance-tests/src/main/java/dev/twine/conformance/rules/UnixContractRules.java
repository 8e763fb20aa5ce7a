package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorUnix;
import dev.twine.reactor.UnixAddress;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Unix domain sockets as Twisted's test_unix checks them beyond UNIX-01..05: an address in use,
 * listening again on a path after stopListening, the server side's addresses. The clients are the
 * reactor's own connectUNIX.
 */
@API(status = INTERNAL, since = "0.1")
public class UnixContractRules extends RuleSet {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    static ReactorUnix unix(Reactor reactor) {
        if (!(reactor instanceof ReactorUnix unix)) {
            throw new AssertionError("the provider declares UNIX but its reactor does not implement ReactorUnix");
        }
        return unix;
    }

    /** A fresh directory for socket files, deleted with what is left in it when the rule ends. */
    static Path freshDirectory(TrialContext test) {
        try {
            // Unix socket paths are short (about 100 bytes): keep them under the system's temp directory.
            Path directory = Files.createTempDirectory("twine-unix");
            test.addCleanup(() -> {
                try (var files = Files.list(directory)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                    Files.deleteIfExists(directory);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects a recording client to {@code path}; fires with its protocol once connected. */
    private static Deferred<Recorder> connect(Reactor reactor, Path path) {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Deferred<Recorder> result = new Deferred<>();
        client.failed.addVoidCallback(reason -> {
            if (!result.isCalled()) {
                result.errback(new AssertionError("a client could not connect to " + path + ": " + reason, reason));
            }
        });
        client.built.addDeferredCallback(protocol -> protocol.connected).addVoidCallback(protocol -> {
            if (!result.isCalled()) {
                result.callback(protocol);
            }
        });
        unix(reactor).connectUNIX(path, client, TIMEOUT);
        return result;
    }

    @Rule(id = "UNIX-10", capability = Capability.UNIX, value = "listenUNIX on the path of a port that is listening "
            + "throws CannotListenException naming the path, and the first port still serves")
    @TrialTest
    Deferred<Void> listeningOnALiveSocketIsRefused(TrialContext test) {
        Path socket = freshDirectory(test).resolve("busy.sock");
        RecordingServerFactory<Recorder> first = new RecordingServerFactory<>(Recorder::new);
        RecordingServerFactory<Recorder> second = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            unix(reactor).listenUNIX(socket, first, 50);
            assertThat(catchThrowable(() -> unix(reactor).listenUNIX(socket, second, 50)))
                    .as("listenUNIX on a path a port listens on (address in use) did not throw CannotListenException")
                    .isInstanceOf(CannotListenException.class).hasMessageContaining(socket.toString());
            return connect(reactor, socket).addDeferredCallback(client -> first.first);
        }).addVoidCallback(served -> {
            assertThat(first.protocols).as("connections the first port accepted after the refused listen").hasSize(1);
            assertThat(second.protocols).as("connections given to the refused port's factory").isEmpty();
        });
    }

    @Rule(id = "UNIX-11", capability = Capability.UNIX, value = "once stopListening's Deferred has fired, a new port "
            + "can listen on the same path and serve")
    @TrialTest
    Deferred<Void> listenAgainAfterStopListening(TrialContext test) {
        Path socket = freshDirectory(test).resolve("again.sock");
        RecordingServerFactory<Recorder> second = new RecordingServerFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = unix(reactor).listenUNIX(socket, new RecordingServerFactory<>(Recorder::new), 50);
            return port.stopListening().addDeferredCallback(ignored -> {
                try {
                    unix(reactor).listenUNIX(socket, second, 50);
                } catch (CannotListenException e) {
                    throw new AssertionError("could not listen on " + socket + " again after stopListening fired: the "
                            + "socket was not closed or its file not removed yet (" + e + ")", e);
                }
                return connect(reactor, socket).addDeferredCallback(client -> second.first);
            });
        }).addVoidCallback(served -> {
            assertThat(second.protocols).as("connections the new port accepted").hasSize(1);
        });
    }

    @Rule(id = "UNIX-12", capability = Capability.UNIX, value = "after stopListening's Deferred has fired, connecting "
            + "to its path fails with ConnectionRefusedException")
    @TrialTest
    Deferred<Void> connectingAfterStopListeningIsRefused(TrialContext test) {
        Path socket = freshDirectory(test).resolve("closed.sock");
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = unix(reactor).listenUNIX(socket, server, 50);
            return port.stopListening().addDeferredCallback(ignored -> {
                Deferred<Throwable> outcome = new Deferred<>();
                client.built.addVoidCallback(protocol -> {
                    if (!outcome.isCalled()) {
                        outcome.errback(new AssertionError("a client connected to " + socket + " after stopListening "
                                + "fired: the port still accepts"));
                    }
                });
                client.failed.addVoidCallback(reason -> {
                    if (!outcome.isCalled()) {
                        outcome.callback(reason);
                    }
                });
                unix(reactor).connectUNIX(socket, client, TIMEOUT);
                return outcome;
            });
        }).addVoidCallback(reason -> {
            assertThat(reason).as("why connecting after stopListening failed").isInstanceOf(ConnectionRefusedException.class);
            assertThat(server.protocols).as("connections the stopped port accepted").isEmpty();
        });
    }

    @Rule(id = "UNIX-13", capability = Capability.UNIX, value = "on an accepted Unix connection, the server's getHost() "
            + "is the socket's UnixAddress, and so is the client's getPeer()")
    @TrialTest
    Deferred<Void> serverSideAddresses(TrialContext test) {
        Path socket = freshDirectory(test).resolve("addresses.sock");
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        List<Address> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            unix(reactor).listenUNIX(socket, server, 50);
            return connect(reactor, socket).addDeferredCallback(client -> {
                seen.add(client.transport().getPeer());
                return server.firstConnected();
            }).addVoidCallback(protocol -> {
                seen.add(protocol.transport().getHost());
            });
        }).addVoidCallback(ignored -> {
            UnixAddress expected = new UnixAddress(socket);
            assertThat(seen).as("the client's getPeer(), then the server's getHost()").containsExactly(expected, expected);
        });
    }
}
