package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorUnix;
import dev.twine.reactor.UnixAddress;
import dev.twine.testing.HalfCloseRecorder;
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
 * Unix domain sockets with the reactor on both ends, and the stream-connection contracts the first
 * rules check only over TCP: callbacks that throw, stopProducing. Found by mutation testing of the
 * built-in reactor (./twine mutation).
 */
@API(status = INTERNAL, since = "0.1")
public class UnixEdgeRules extends RuleSet {

    private static ReactorUnix unix(Reactor reactor) {
        if (!(reactor instanceof ReactorUnix unix)) {
            throw new AssertionError("the provider declares UNIX but its reactor does not implement ReactorUnix");
        }
        return unix;
    }

    /** A socket path in a fresh directory, removed with it after the rule. */
    private static Path socketPath(TrialContext test, String name) {
        try {
            // Unix socket paths are short (about 100 bytes): keep them under the system's temp directory.
            Path directory = Files.createTempDirectory("twine-unix");
            Path socket = directory.resolve(name);
            test.addCleanup(() -> {
                try {
                    Files.deleteIfExists(socket);
                    Files.deleteIfExists(directory);
                } catch (IOException ignored) {
                    // the temp directory is the system's to clean
                }
            });
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Rule(id = "UNIX-30", capability = Capability.UNIX, value = "a Unix connection made by the reactor to itself: the "
            + "server side's getHost() and the client side's getPeer() are the socket file's UnixAddress, bytes go "
            + "both ways, and loseConnection ends both sides with ConnectionDone")
    @TrialTest
    Deferred<Void> bothEndsOnTheReactor(TrialContext test) {
        Path socket = socketPath(test, "both.sock");
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                send("pong");
                transport().loseConnection();
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                send("ping");
            }
        });
        List<Address> addresses = new ArrayList<>();
        return Rut.start(test, reactor -> {
            unix(reactor).listenUNIX(socket, server, 50);
            unix(reactor).connectUNIX(socket, client, Duration.ofSeconds(10));
            return client.built.addDeferredCallback(protocol -> protocol.lost).addDeferredCallback(ignored -> {
                Recorder served = server.protocols.get(0);
                addresses.add(served.transport().getHost());
                addresses.add(client.protocols.get(0).transport().getPeer());
                return served.lost;
            }).addVoidCallback(ignored -> { });
        }).addVoidCallback(ignored -> {
            assertThat(addresses).as("the server side's getHost() and the client side's getPeer()")
                    .containsExactly(new UnixAddress(socket), new UnixAddress(socket));
            assertThat(server.protocols.get(0).text()).as("what the server read").isEqualTo("ping");
            assertThat(client.protocols.get(0).text()).as("what the client read").isEqualTo("pong");
            assertThat(client.protocols.get(0).lostReason).as("the client's reason").isInstanceOf(ConnectionDone.class);
            assertThat(server.protocols.get(0).lostReason).as("the server's reason").isInstanceOf(ConnectionDone.class);
        });
    }

    /** Throws from the half-close callback it is told to. */
    private static final class ThrowingHalfClose extends HalfCloseRecorder {
        final IllegalStateException thrown;
        private final boolean inRead;

        ThrowingHalfClose(boolean inRead) {
            this.inRead = inRead;
            this.thrown = new IllegalStateException((inRead ? "readConnectionLost" : "writeConnectionLost")
                    + " failed on purpose");
        }

        @Override
        public void connectionMade() {
            super.connectionMade();
            if (!inRead) {
                ((TcpTransport) transport()).loseWriteConnection();
            }
        }

        @Override
        public void readConnectionLost() {
            super.readConnectionLost();
            if (inRead) {
                throw thrown;
            }
        }

        @Override
        public void writeConnectionLost() {
            super.writeConnectionLost();
            if (!inRead) {
                throw thrown;
            }
        }
    }

    @Rule(id = "UNIX-31", capability = Capability.UNIX, value = "a HalfCloseableProtocol whose readConnectionLost or "
            + "writeConnectionLost throws loses its connection with that exception as the reason, and it is logged")
    @TrialTest
    Deferred<Void> aThrowingHalfCloseCallback(TrialContext test) {
        Path socket = socketPath(test, "half.sock");
        List<ThrowingHalfClose> made = new ArrayList<>();
        boolean[] next = {true};
        RecordingServerFactory<ThrowingHalfClose> server = new RecordingServerFactory<>(() -> {
            ThrowingHalfClose protocol = new ThrowingHalfClose(next[0]);
            next[0] = false;
            made.add(protocol);
            return protocol;
        });
        List<Throwable> reasons = new ArrayList<>();
        return Rut.start(test, reactor -> {
            unix(reactor).listenUNIX(socket, server, 50);
            // The first client half-closes at once (the server's readConnectionLost throws); the second waits for
            // the server to shut its write side (its writeConnectionLost throws).
            RecordingClientFactory<Recorder> first = new RecordingClientFactory<>(() -> new Recorder() {
                @Override
                public void connectionMade() {
                    super.connectionMade();
                    ((TcpTransport) transport()).loseWriteConnection();
                }
            });
            unix(reactor).connectUNIX(socket, first, Duration.ofSeconds(10));
            return server.first.addDeferredCallback(protocol -> protocol.lost).addDeferredCallback(reason -> {
                reasons.add(reason);
                unix(reactor).connectUNIX(socket, new RecordingClientFactory<>(Recorder::new), Duration.ofSeconds(10));
                return Deferred.succeed(null);
            }).addDeferredCallback(ignored -> dev.twine.testing.Poll.until(reactor, () -> made.size() == 2))
                    .addDeferredCallback(ignored -> made.get(1).lost).addVoidCallback(reason -> {
                        reasons.add(reason);
                    });
        }).addVoidCallback(ignored -> {
            assertThat(reasons).as("the reasons connectionLost was given (readConnectionLost threw, then "
                    + "writeConnectionLost threw)").containsExactly(made.get(0).thrown, made.get(1).thrown);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(2);
        });
    }

    @Rule(id = "UNIX-32", capability = Capability.UNIX, value = "stopProducing() on a connection's transport closes it "
            + "as loseConnection does: what was written arrives, and connectionLost hears ConnectionDone")
    @TrialTest
    Deferred<Void> stopProducingClosesCleanly(TrialContext test) {
        Path socket = socketPath(test, "stop.sock");
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                transport().write(Bytes.utf8("last words"));
                transport().stopProducing();
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = unix(reactor).listenUNIX(socket, server, 50);
            unix(reactor).connectUNIX(socket, client, Duration.ofSeconds(10));
            return client.built.addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(ignored -> server.first.addDeferredCallback(protocol -> protocol.lost))
                    .addDeferredCallback(ignored -> port.stopListening());
        }).addVoidCallback(ignored -> {
            assertThat(client.protocols.get(0).text()).as("what the peer read").isEqualTo("last words");
            assertThat(server.protocols.get(0).lostReason).as("the reason after stopProducing()")
                    .isInstanceOf(ConnectionDone.class);
        });
    }

    @Rule(id = "UNIX-33", capability = Capability.UNIX, value = "a pull producer whose resumeProducing throws when the "
            + "transport asks for more is logged, and the connection goes on: what it wrote arrives, and "
            + "loseConnection still ends it with ConnectionDone")
    @TrialTest
    Deferred<Void> aThrowingProducerIsLogged(TrialContext test) {
        Path socket = socketPath(test, "producer.sock");
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(() -> new Recorder() {
            @Override
            public void connectionMade() {
                super.connectionMade();
                Recorder self = this;
                transport().registerProducer(new dev.twine.protocol.PullProducer() {
                    int asked;

                    @Override
                    public void resumeProducing() {
                        if (asked++ == 0) {
                            self.send("produced");
                            return;
                        }
                        self.transport().unregisterProducer();
                        self.transport().loseConnection();
                        throw new IllegalStateException("resumeProducing failed on purpose");
                    }

                    @Override
                    public void stopProducing() {
                    }
                }, false);
            }
        });
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        return Rut.start(test, reactor -> {
            unix(reactor).listenUNIX(socket, server, 50);
            unix(reactor).connectUNIX(socket, client, Duration.ofSeconds(10));
            return client.built.addDeferredCallback(protocol -> protocol.lost)
                    .addDeferredCallback(ignored -> server.first.addDeferredCallback(protocol -> protocol.lost));
        }).addVoidCallback(reason -> {
            assertThat(client.protocols.get(0).text()).as("what the peer read").isEqualTo("produced");
            assertThat(reason).as("the reason the producing side's connection ended").isInstanceOf(ConnectionDone.class);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "UNIX-34", capability = Capability.UNIX, value = "connectUNIX returns the attempt's Connector: "
            + "getDestination() is the socket file's UnixAddress, and disconnect() closes the connection it made")
    @TrialTest
    Deferred<Void> connectUnixReturnsItsConnector(TrialContext test) {
        Path socket = socketPath(test, "connector.sock");
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Address[] destination = new Address[1];
        return Rut.start(test, reactor -> {
            unix(reactor).listenUNIX(socket, new RecordingServerFactory<>(Recorder::new), 50);
            dev.twine.reactor.Connector connector = unix(reactor).connectUNIX(socket, client, Duration.ofSeconds(10));
            destination[0] = connector == null ? null : connector.getDestination();
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                connector.disconnect();
                return protocol.lost;
            });
        }).addVoidCallback(reason -> {
            assertThat(destination[0]).as("getDestination() of the Connector connectUNIX returned")
                    .isEqualTo(new UnixAddress(socket));
            assertThat(reason).as("the reason after disconnect()").isInstanceOf(ConnectionDone.class);
        });
    }
}
