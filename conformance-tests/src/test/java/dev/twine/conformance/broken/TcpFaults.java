package dev.twine.conformance.broken;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionAborted;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.Producer;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.protocol.Transport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Broken variants of the built-in reactor for the TCP contract rules learnt from Twisted's reactor
 * tests (TCP-60 and up, TLS-13): each wraps the nio reactor at the API and gets one thing wrong
 * that a real implementation could.
 */
final class TcpFaults {
    private TcpFaults() {
    }

    /**
     * A reactor that puts a protocol of its own between each stream protocol and the nio reactor,
     * so a fault can change what the user's protocol hears and what its transport does.
     */
    abstract static class ProxyReactor extends ForwardingReactor {

        /** The protocol the nio reactor sees for {@code inner}. */
        protected abstract Protocol proxy(Protocol inner);

        @Override
        protected ProtocolFactory wrap(ProtocolFactory factory) {
            return new ProtocolFactory() {
                @Override
                public Protocol buildProtocol(Address address) {
                    Protocol inner = factory.buildProtocol(address);
                    return inner == null ? null : proxy(inner);
                }

                @Override
                public void doStart() {
                    factory.doStart();
                }

                @Override
                public void doStop() {
                    factory.doStop();
                }
            };
        }

        @Override
        protected ClientFactory wrap(ClientFactory factory) {
            return new ClientFactory() {
                @Override
                public Protocol buildProtocol(Address address) {
                    Protocol inner = factory.buildProtocol(address);
                    return inner == null ? null : proxy(inner);
                }

                @Override
                public void doStart() {
                    factory.doStart();
                }

                @Override
                public void doStop() {
                    factory.doStop();
                }

                @Override
                public void startedConnecting(Connector connector) {
                    factory.startedConnecting(connector);
                }

                @Override
                public void clientConnectionFailed(Connector connector, Failure reason) {
                    factory.clientConnectionFailed(connector, reason);
                }

                @Override
                public void clientConnectionLost(Connector connector, Failure reason) {
                    factory.clientConnectionLost(connector, reason);
                }
            };
        }
    }

    /** Stands between the nio reactor and a user's protocol; by default passes everything on. */
    static class Between extends Protocol {
        final Protocol inner;

        Between(Protocol inner) {
            this.inner = inner;
        }

        /** The transport the user's protocol is given. */
        Transport transportFor(Transport real) {
            return new WrappingReactor.ForwardingTransport(real);
        }

        @Override
        public void connectionMade() {
            inner.makeConnection(transportFor(transport()));
        }

        @Override
        public void dataReceived(byte[] data) {
            inner.dataReceived(data);
        }

        @Override
        public void connectionLost(Failure reason) {
            inner.connectionLost(reason);
        }
    }

    /** A {@link ProxyReactor} whose transports are {@code transport(real)}. */
    abstract static class TransportFaultReactor extends ProxyReactor {
        abstract Transport transport(Transport real);

        @Override
        protected Protocol proxy(Protocol inner) {
            return new Between(inner) {
                @Override
                Transport transportFor(Transport real) {
                    return TransportFaultReactor.this.transport(real);
                }
            };
        }
    }

    // ------------------------------------------------------------------------------------------
    // Abort

    /**
     * Writes after abortConnection still sent: the abort is carried out at the next turn of the
     * loop, and writes made meanwhile go out first.
     */
    @CaughtBy(value = "TCP-60", reason = "written after abortConnection that reached")
    public static final class AbortWritesStillSent extends BrokenProvider {
        public AbortWritesStillSent() {
            super("broken-abort-writes-still-sent", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    ForwardingReactor reactor = this;
                    return new WrappingReactor.ForwardingTransport(real) {
                        @Override
                        public void abortConnection() {
                            reactor.callLater(Duration.ZERO, real::abortConnection);
                        }
                    };
                }
            });
        }
    }

    /** connectionLost called inside abortConnection: the protocol hears it re-entrantly, at once. */
    @CaughtBy(value = {"TCP-61", "TCP-62"}, reason = "re-entrantly")
    public static final class ConnectionLostInsideAbort extends BrokenProvider {
        public ConnectionLostInsideAbort() {
            super("broken-connection-lost-inside-abort", () -> new ProxyReactor() {
                @Override
                protected Protocol proxy(Protocol inner) {
                    return new Between(inner) {
                        boolean told;

                        @Override
                        Transport transportFor(Transport real) {
                            return new WrappingReactor.ForwardingTransport(real) {
                                @Override
                                public void abortConnection() {
                                    real.abortConnection();
                                    if (!told) {
                                        told = true;
                                        inner.connectionLost(new Failure(new ConnectionAborted()));
                                    }
                                }
                            };
                        }

                        @Override
                        public void connectionLost(Failure reason) {
                            if (!told) {
                                told = true;
                                inner.connectionLost(reason);
                            }
                        }
                    };
                }
            });
        }
    }

    /** An abort that leaves a delayed call behind: a linger timer it never cancels. */
    @CaughtBy(value = "TCP-64", reason = "left registered or scheduled")
    public static final class AbortLeavesATimer extends BrokenProvider {
        public AbortLeavesATimer() {
            super("broken-abort-leaves-a-timer", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    ForwardingReactor reactor = this;
                    return new WrappingReactor.ForwardingTransport(real) {
                        @Override
                        public void abortConnection() {
                            reactor.callLater(Duration.ofSeconds(60), () -> { });
                            real.abortConnection();
                        }
                    };
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Reading not stopped at loseConnection: it only half-closes, and the connection ends when the
     * peer closes its side, so what the peer sends meanwhile reaches dataReceived.
     */
    @CaughtBy(value = "TCP-70", reason = "after loseConnection")
    public static final class ReadsAfterLoseConnection extends BrokenProvider {
        public ReadsAfterLoseConnection() {
            super("broken-reads-after-lose-connection", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    return new WrappingReactor.ForwardingTransport(real) {
                        @Override
                        public void loseConnection() {
                            loseWriteConnection();
                        }
                    };
                }
            });
        }
    }

    /** Keeps every protocol it ever built, for statistics nobody reads. */
    @CaughtBy(value = "TCP-73", reason = "still references the protocol")
    public static final class KeepsEveryProtocol extends BrokenProvider {
        public KeepsEveryProtocol() {
            super("broken-keeps-every-protocol", () -> new ProxyReactor() {
                private final List<Protocol> everyProtocol = new ArrayList<>();

                @Override
                protected Protocol proxy(Protocol inner) {
                    everyProtocol.add(inner);
                    return new Between(inner);
                }
            });
        }
    }

    /**
     * Shutdown that disconnects connections in a loop with no guard: the first connectionLost that
     * throws ends the loop, and the protocols after it are never told.
     */
    @CaughtBy(value = "TCP-74", reason = "connectionLost calls heard at shutdown")
    public static final class ShutdownStopsAtAThrowingConnectionLost extends BrokenProvider {
        public ShutdownStopsAtAThrowingConnectionLost() {
            super("broken-shutdown-stops-at-a-throwing-connection-lost", () -> new ProxyReactor() {
                private final List<Between> live = new ArrayList<>();
                private boolean shutDown;

                {
                    delegate.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> {
                        shutDown = true;
                        for (Between proxy : List.copyOf(live)) {
                            live.remove(proxy);
                            proxy.inner.connectionLost(new Failure(new ConnectionLost()));
                        }
                        return null;
                    });
                }

                @Override
                protected Protocol proxy(Protocol inner) {
                    Between proxy = new Between(inner) {
                        @Override
                        public void connectionLost(Failure reason) {
                            live.remove(this);
                            if (!shutDown) {
                                inner.connectionLost(reason);
                            }
                        }
                    };
                    live.add(proxy);
                    return proxy;
                }
            });
        }
    }

    /**
     * connectionLost twice when the reactor stops while a connection is closing: shutdown tells
     * every closing connection's protocol itself, and the close under way tells it again.
     */
    @CaughtBy(value = "TCP-86", reason = "connectionLost calls at shutdown")
    public static final class ConnectionLostTwiceAtShutdown extends BrokenProvider {
        public ConnectionLostTwiceAtShutdown() {
            super("broken-connection-lost-twice-at-shutdown", () -> new ProxyReactor() {
                private final List<Between> live = new ArrayList<>();

                {
                    delegate.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> {
                        for (Between proxy : List.copyOf(live)) {
                            if (proxy.transport() != null && proxy.transport().isDisconnecting()) {
                                proxy.inner.connectionLost(new Failure(new ConnectionLost()));
                            }
                        }
                        return null;
                    });
                }

                @Override
                protected Protocol proxy(Protocol inner) {
                    Between proxy = new Between(inner) {
                        @Override
                        public void connectionLost(Failure reason) {
                            live.remove(this);
                            inner.connectionLost(reason);
                        }
                    };
                    live.add(proxy);
                    return proxy;
                }
            });
        }
    }

    /** stopListening that also closes every connection the port accepted. */
    @CaughtBy(value = "TCP-75", reason = "stopListening closed a connection")
    public static final class StopListeningClosesAcceptedConnections extends BrokenProvider {
        public StopListeningClosesAcceptedConnections() {
            super("broken-stop-listening-closes-accepted", () -> new ForwardingReactor() {
                @Override
                public ListeningPort listenTCP(int port, ProtocolFactory factory, int backlog, String iface) {
                    List<Protocol> accepted = new ArrayList<>();
                    ListeningPort real = delegate.listenTCP(port, address -> {
                        Protocol protocol = factory.buildProtocol(address);
                        if (protocol != null) {
                            accepted.add(protocol);
                        }
                        return protocol;
                    }, backlog, iface);
                    return new ListeningPort() {
                        @Override
                        public Deferred<Void> stopListening() {
                            for (Protocol protocol : accepted) {
                                if (protocol.transport() != null) {
                                    protocol.transport().loseConnection();
                                }
                            }
                            return real.stopListening();
                        }

                        @Override
                        public Address getHost() {
                            return real.getHost();
                        }
                    };
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Producers and writes

    /**
     * A pause made in connectionMade undone: the reactor registers the connection for reading only
     * after connectionMade returns, and that registration forgets the pause the protocol asked for.
     */
    @CaughtBy(value = "TCP-47", reason = "received while paused")
    public static final class PauseInConnectionMadeUndone extends BrokenProvider {
        public PauseInConnectionMadeUndone() {
            super("broken-pause-in-connection-made-undone", () -> new ProxyReactor() {
                @Override
                protected Protocol proxy(Protocol inner) {
                    return new Between(inner) {
                        boolean making;

                        @Override
                        Transport transportFor(Transport real) {
                            return new WrappingReactor.ForwardingTransport(real) {
                                @Override
                                public void pauseProducing() {
                                    if (!making) {
                                        real.pauseProducing();
                                    }
                                }
                            };
                        }

                        @Override
                        public void connectionMade() {
                            making = true;
                            try {
                                super.connectionMade();
                            } finally {
                                making = false;
                            }
                        }
                    };
                }
            });
        }
    }

    /** registerProducer that takes a producer of either kind, adapting it to the kind asked for. */
    @CaughtBy(value = "TCP-76", reason = "accepted a producer of the wrong kind")
    public static final class ProducerOfTheWrongKindAccepted extends BrokenProvider {
        public ProducerOfTheWrongKindAccepted() {
            super("broken-producer-of-the-wrong-kind-accepted", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    return new WrappingReactor.ForwardingTransport(real) {
                        @Override
                        public void registerProducer(Producer producer, boolean streaming) {
                            if (streaming && !(producer instanceof PushProducer)) {
                                real.registerProducer(new PushProducer() {
                                    @Override
                                    public void pauseProducing() {
                                    }

                                    @Override
                                    public void resumeProducing() {
                                        ((PullProducer) producer).resumeProducing();
                                    }

                                    @Override
                                    public void stopProducing() {
                                        producer.stopProducing();
                                    }
                                }, true);
                            } else if (!streaming && !(producer instanceof PullProducer)) {
                                real.registerProducer(new PullProducer() {
                                    @Override
                                    public void resumeProducing() {
                                        ((PushProducer) producer).resumeProducing();
                                    }

                                    @Override
                                    public void stopProducing() {
                                        producer.stopProducing();
                                    }
                                }, false);
                            } else {
                                real.registerProducer(producer, streaming);
                            }
                        }

                        @Override
                        public void unregisterProducer() {
                            real.unregisterProducer();
                        }
                    };
                }
            });
        }
    }

    /**
     * Keeps the caller's write arrays: they are queued as they are and copied out at the next turn
     * of the loop, so a caller that reuses its array changes what is sent.
     */
    @CaughtBy(value = "TCP-77", reason = "changed its arrays after write returned")
    public static final class KeepsTheCallersWriteArray extends BrokenProvider {
        public KeepsTheCallersWriteArray() {
            super("broken-keeps-the-callers-write-array", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    ForwardingReactor reactor = this;
                    return new WrappingReactor.ForwardingTransport(real) {
                        private final List<byte[]> held = new ArrayList<>();
                        private boolean closeAfter;

                        @Override
                        public void write(byte[] data) {
                            if (held.isEmpty()) {
                                reactor.callLater(Duration.ZERO, () -> {
                                    held.forEach(real::write);
                                    held.clear();
                                    if (closeAfter) {
                                        real.loseConnection();
                                    }
                                });
                            }
                            held.add(data); // not a copy
                        }

                        @Override
                        public void writeSequence(List<byte[]> data) {
                            data.forEach(this::write);
                        }

                        @Override
                        public void write(ByteBuffer data) {
                            if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
                                    && data.limit() == data.array().length) {
                                write(data.array());
                                data.position(data.limit());
                            } else {
                                super.write(data);
                            }
                        }

                        @Override
                        public void loseConnection() {
                            if (held.isEmpty()) {
                                real.loseConnection();
                            } else {
                                closeAfter = true;
                            }
                        }
                    };
                }
            });
        }
    }

    /**
     * Reuses the array it gives dataReceived: a read of the same length as the last is copied into
     * the array the protocol was given last time.
     */
    @CaughtBy(value = "TCP-78", reason = "changed after dataReceived returned")
    public static final class ReusesTheReadArray extends BrokenProvider {
        public ReusesTheReadArray() {
            super("broken-reuses-the-read-array", () -> new ProxyReactor() {
                @Override
                protected Protocol proxy(Protocol inner) {
                    return new Between(inner) {
                        private byte[] last;

                        @Override
                        public void dataReceived(byte[] data) {
                            if (last == null || last.length != data.length) {
                                last = data.clone();
                            } else {
                                System.arraycopy(data, 0, last, 0, data.length);
                            }
                            inner.dataReceived(last);
                        }
                    };
                }
            });
        }
    }

    /**
     * A streaming producer's pause lost inside resumeProducing: a pauseProducing the transport
     * sends while the producer's resumeProducing runs is dropped, so the producer thinks it runs.
     */
    @CaughtBy(value = "TCP-79", reason = "lost its paused state")
    public static final class PauseLostInsideResume extends BrokenProvider {
        public PauseLostInsideResume() {
            super("broken-pause-lost-inside-resume", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    return new WrappingReactor.ForwardingTransport(real) {
                        @Override
                        public void registerProducer(Producer producer, boolean streaming) {
                            if (!(producer instanceof PushProducer push) || !streaming) {
                                real.registerProducer(producer, streaming);
                                return;
                            }
                            real.registerProducer(new PushProducer() {
                                boolean resuming;

                                @Override
                                public void pauseProducing() {
                                    if (!resuming) {
                                        push.pauseProducing();
                                    }
                                }

                                @Override
                                public void resumeProducing() {
                                    resuming = true;
                                    try {
                                        push.resumeProducing();
                                    } finally {
                                        resuming = false;
                                    }
                                }

                                @Override
                                public void stopProducing() {
                                    push.stopProducing();
                                }
                            }, true);
                        }
                    };
                }
            });
        }
    }

    /** writeSequence that queues its pieces for the next turn of the loop, so they do not count against the mark now. */
    @CaughtBy(value = "TCP-68", reason = "writeSequence did not pause it")
    public static final class WriteSequenceDoesNotPause extends BrokenProvider {
        public WriteSequenceDoesNotPause() {
            super("broken-write-sequence-does-not-pause", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    ForwardingReactor reactor = this;
                    return new WrappingReactor.ForwardingTransport(real) {
                        @Override
                        public void writeSequence(List<byte[]> data) {
                            List<byte[]> copies = data.stream().map(byte[]::clone).toList();
                            reactor.callLater(Duration.ZERO, () -> real.writeSequence(copies));
                        }
                    };
                }
            });
        }
    }

    /** writeSequence that never starts writing: its bytes wait for a later write or close that never comes. */
    @CaughtBy(value = "TCP-67", reason = "did not finish within", hang = true)
    public static final class WriteSequenceNeverFlushes extends BrokenProvider {
        public WriteSequenceNeverFlushes() {
            super("broken-write-sequence-never-flushes", () -> new TransportFaultReactor() {
                @Override
                Transport transport(Transport real) {
                    return new WrappingReactor.ForwardingTransport(real) {
                        private final List<byte[]> held = new ArrayList<>();

                        private void release() {
                            held.forEach(real::write);
                            held.clear();
                        }

                        @Override
                        public void writeSequence(List<byte[]> data) {
                            data.forEach(piece -> held.add(piece.clone()));
                        }

                        @Override
                        public void write(byte[] data) {
                            release();
                            real.write(data);
                        }

                        @Override
                        public void loseConnection() {
                            release();
                            real.loseConnection();
                        }
                    };
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------
    // Connectors

    /**
     * Connection failures reported inside connectTCP: a connection to a literal address is tried
     * first with a blocking socket, and a failure goes to the factory before connectTCP returns.
     */
    @CaughtBy(value = "TCP-80", reason = "inside connectTCP")
    public static final class FailuresReportedInsideConnectTcp extends BrokenProvider {
        public FailuresReportedInsideConnectTcp() {
            super("broken-failures-reported-inside-connect-tcp", () -> new ForwardingReactor() {
                @Override
                public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout,
                        InetSocketAddress bindAddress) {
                    try (Socket probe = new Socket()) {
                        if (bindAddress != null) {
                            probe.bind(bindAddress);
                        }
                        probe.connect(new InetSocketAddress(host, port), 1000);
                    } catch (IOException e) {
                        Connector failed = new Connector() {
                            @Override
                            public void stopConnecting() {
                                throw new IllegalStateException("not connecting");
                            }

                            @Override
                            public void disconnect() {
                            }

                            @Override
                            public void connect() {
                                connectTCP(host, port, factory, timeout, bindAddress);
                            }

                            @Override
                            public Address getDestination() {
                                return new IPv4Address("TCP", host, port);
                            }
                        };
                        factory.doStart();
                        factory.startedConnecting(failed);
                        factory.clientConnectionFailed(failed, new Failure(String.valueOf(e.getMessage()).contains("refused")
                                ? new ConnectionRefusedException(e)
                                : new dev.twine.protocol.ConnectionFailedException(String.valueOf(e.getMessage()), e)));
                        factory.doStop();
                        return failed;
                    }
                    return super.connectTCP(host, port, factory, timeout, bindAddress);
                }
            });
        }
    }

    /** Each factory callback given a fresh Connector of its own, not the one connectTCP returned. */
    @CaughtBy(value = "TCP-81", reason = "a different Connector")
    public static final class ConnectorNotTheSame extends BrokenProvider {
        public ConnectorNotTheSame() {
            super("broken-connector-not-the-same", () -> new ForwardingReactor() {
                private Connector fresh(Connector real) {
                    return new Connector() {
                        @Override
                        public void stopConnecting() {
                            real.stopConnecting();
                        }

                        @Override
                        public void disconnect() {
                            real.disconnect();
                        }

                        @Override
                        public void connect() {
                            real.connect();
                        }

                        @Override
                        public Address getDestination() {
                            return real.getDestination();
                        }
                    };
                }

                @Override
                protected ClientFactory wrap(ClientFactory factory) {
                    return new ClientFactory() {
                        @Override
                        public Protocol buildProtocol(Address address) {
                            return factory.buildProtocol(address);
                        }

                        @Override
                        public void doStart() {
                            factory.doStart();
                        }

                        @Override
                        public void doStop() {
                            factory.doStop();
                        }

                        @Override
                        public void startedConnecting(Connector connector) {
                            factory.startedConnecting(fresh(connector));
                        }

                        @Override
                        public void clientConnectionFailed(Connector connector, Failure reason) {
                            factory.clientConnectionFailed(fresh(connector), reason);
                        }

                        @Override
                        public void clientConnectionLost(Connector connector, Failure reason) {
                            factory.clientConnectionLost(fresh(connector), reason);
                        }
                    };
                }
            });
        }
    }

    /** connectTCP that ignores its bindAddress. */
    @CaughtBy(value = "TCP-82", reason = "bindAddress was ignored")
    public static final class BindAddressIgnored extends BrokenProvider {
        public BindAddressIgnored() {
            super("broken-bind-address-ignored", () -> new ForwardingReactor() {
                @Override
                public Connector connectTCP(String host, int port, ClientFactory factory, Duration timeout,
                        InetSocketAddress bindAddress) {
                    return super.connectTCP(host, port, factory, timeout, null);
                }

                @Override
                public Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
                        Duration timeout, InetSocketAddress bindAddress) {
                    return super.connectSSL(host, port, factory, context, timeout, null);
                }
            });
        }
    }
}
