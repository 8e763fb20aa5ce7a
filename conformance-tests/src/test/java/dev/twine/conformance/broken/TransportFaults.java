package dev.twine.conformance.broken;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.DatagramProtocol;
import dev.twine.protocol.DatagramTransport;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.TcpTransport;
import dev.twine.protocol.Transport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReadDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Broken reactors for how transports end: half-close, resets, TLS truncation, and ports whose
 * stopListening fires too soon. Each is the nio reactor with one fault a real implementation
 * could have; {@code StrengthTest} checks that the rule its {@link CaughtBy} names fails for it.
 */
final class TransportFaults {
    private TransportFaults() {
    }

    /**
     * loseWriteConnection shuts the socket's output at once instead of after the transport's
     * buffer has drained: what was written just before it never reaches the peer.
     */
    @CaughtBy(value = "TCP-40", reason = "end of stream before the buffer drained")
    public static final class ShutsOutputBeforeTheBufferDrains extends BrokenProvider {
        public ShutsOutputBeforeTheBufferDrains() {
            super("broken-shuts-output-before-the-buffer-drains", () -> new WrappingReactor() {
                @Override
                protected Transport transport(Transport real) {
                    return new ForwardingTransport(real) {
                        @Override
                        public void loseWriteConnection() {
                            try {
                                ((SocketChannel) ((ReadDescriptor) real).channel()).shutdownOutput();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            ((TcpTransport) real).loseWriteConnection();
                        }
                    };
                }
            });
        }
    }

    /**
     * The bytes read before a reset are dropped: each read is handed to the protocol one read
     * late, and the one still held when the peer resets is thrown away.
     */
    @CaughtBy(value = "TCP-35", reason = "the bytes before the reset were dropped")
    public static final class DropsTheBytesBeforeAReset extends BrokenProvider {
        public DropsTheBytesBeforeAReset() {
            super("broken-drops-the-bytes-before-a-reset", () -> new ForwardingReactor() {
                @Override
                protected ClientFactory wrap(ClientFactory factory) {
                    return new ClientFactory() {
                        @Override
                        public Protocol buildProtocol(Address address) {
                            Protocol inner = factory.buildProtocol(address);
                            return inner == null ? null : new OneReadLate(inner);
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
            });
        }
    }

    /** Hands each read to the protocol when the next arrives or at a clean close; a reset drops the one held. */
    static final class OneReadLate extends Protocol {
        private final Protocol inner;
        private byte[] held;

        OneReadLate(Protocol inner) {
            this.inner = inner;
        }

        @Override
        public void connectionMade() {
            inner.makeConnection(transport());
        }

        @Override
        public void dataReceived(byte[] data) {
            if (held != null) {
                inner.dataReceived(held);
            }
            held = data.clone();
        }

        @Override
        public void connectionLost(Failure reason) {
            if (held != null && reason.value() instanceof ConnectionDone) {
                inner.dataReceived(held);
            }
            held = null;
            inner.connectionLost(reason);
        }
    }

    /** A TLS stream cut short (end of stream with no close_notify) reported as a clean close. */
    @CaughtBy(value = "TLS-07", reason = "a truncation reported as a clean close")
    public static final class TlsTruncationReportedAsClean extends BrokenProvider {
        public TlsTruncationReportedAsClean() {
            super("broken-tls-truncation-reported-as-clean", () -> new WrappingReactor() {
                @Override
                protected Failure lost(Failure reason) {
                    for (Throwable t = reason.value(); t != null; t = t.getCause()) {
                        if (t instanceof SSLException && reason.value() instanceof ConnectionLost) {
                            return new Failure(new ConnectionDone());
                        }
                    }
                    return reason;
                }
            });
        }
    }

    /** UDP stopListening whose Deferred fires at once, before the selector has let go of the socket. */
    @CaughtBy(value = "UDP-06", reason = "still bound when stopListening's Deferred fired")
    public static final class UdpStopListeningFiresEarly extends BrokenProvider {
        public UdpStopListeningFiresEarly() {
            super("broken-udp-stop-listening-fires-early", () -> new ForwardingReactor() {
                @Override
                public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
                    DatagramTransport real = super.listenUDP(port, protocol, iface, maxPacketSize);
                    return new DatagramTransport() {
                        @Override
                        public Deferred<Void> stopListening() {
                            real.stopListening();
                            return Deferred.succeed(null); // the socket is closed at the next select
                        }

                        @Override
                        public Address getHost() {
                            return real.getHost();
                        }

                        @Override
                        public void write(byte[] datagram, String host, int port) {
                            real.write(datagram, host, port);
                        }

                        @Override
                        public void write(byte[] datagram) {
                            real.write(datagram);
                        }

                        @Override
                        public void connect(String host, int port) {
                            real.connect(host, port);
                        }

                        @Override
                        public void setBroadcastAllowed(boolean enabled) {
                            real.setBroadcastAllowed(enabled);
                        }

                        @Override
                        public boolean getBroadcastAllowed() {
                            return real.getBroadcastAllowed();
                        }
                    };
                }
            });
        }
    }

    /** Unix stopListening whose Deferred fires at once, before the selector has let go of the socket. */
    @CaughtBy(value = "UNIX-05", reason = "socket still open when stopListening's Deferred fired")
    public static final class UnixStopListeningFiresEarly extends BrokenProvider {
        public UnixStopListeningFiresEarly() {
            super("broken-unix-stop-listening-fires-early", () -> new ForwardingReactor() {
                @Override
                public ListeningPort listenUNIX(Path address, dev.twine.protocol.ProtocolFactory factory, int backlog) {
                    ListeningPort real = super.listenUNIX(address, factory, backlog);
                    return new ListeningPort() {
                        @Override
                        public Deferred<Void> stopListening() {
                            real.stopListening();
                            return Deferred.succeed(null); // the socket is closed at the next select
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
}
