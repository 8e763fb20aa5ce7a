package dev.twine.conformance.broken;

import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.HalfCloseableProtocol;
import dev.twine.protocol.Producer;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TcpTransport;
import dev.twine.protocol.TlsTransport;
import dev.twine.protocol.Transport;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A {@link ForwardingReactor} that puts itself between each stream protocol and its transport, so
 * that a broken variant can change what the protocol is told ({@link #lost}) or what its
 * transport does ({@link #transport}).
 */
abstract class WrappingReactor extends ForwardingReactor {

    /** The transport the protocol is given; by default one that forwards everything. */
    protected Transport transport(Transport real) {
        return new ForwardingTransport(real);
    }

    /** The reason the protocol hears in connectionLost. */
    protected Failure lost(Failure reason) {
        return reason;
    }

    @Override
    protected ProtocolFactory wrap(ProtocolFactory factory) {
        return new ProtocolFactory() {
            @Override
            public Protocol buildProtocol(Address address) {
                return proxy(factory.buildProtocol(address));
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
                return proxy(factory.buildProtocol(address));
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
                factory.clientConnectionLost(connector, lost(reason));
            }
        };
    }

    private Protocol proxy(Protocol inner) {
        if (inner == null) {
            return null;
        }
        return inner instanceof HalfCloseableProtocol ? new HalfCloseProxy(inner) : new Proxy(inner);
    }

    /** Stands between the reactor and the user's protocol. */
    class Proxy extends Protocol {
        final Protocol inner;

        Proxy(Protocol inner) {
            this.inner = inner;
        }

        @Override
        public void connectionMade() {
            inner.makeConnection(WrappingReactor.this.transport(transport()));
        }

        @Override
        public void dataReceived(byte[] data) {
            inner.dataReceived(data);
        }

        @Override
        public void connectionLost(Failure reason) {
            inner.connectionLost(lost(reason));
        }
    }

    /** The same, for a protocol that can be half-closed. */
    class HalfCloseProxy extends Proxy implements HalfCloseableProtocol {
        HalfCloseProxy(Protocol inner) {
            super(inner);
        }

        @Override
        public void readConnectionLost() {
            ((HalfCloseableProtocol) inner).readConnectionLost();
        }

        @Override
        public void writeConnectionLost() {
            ((HalfCloseableProtocol) inner).writeConnectionLost();
        }
    }

    /** Forwards every call to the real transport. */
    static class ForwardingTransport implements TlsTransport {
        final Transport real;

        ForwardingTransport(Transport real) {
            this.real = real;
        }

        @Override
        public void write(byte[] data) {
            real.write(data);
        }

        @Override
        public void write(java.nio.ByteBuffer data) {
            real.write(data);
        }

        @Override
        public void writeSequence(List<byte[]> data) {
            real.writeSequence(data);
        }

        @Override
        public void loseConnection() {
            real.loseConnection();
        }

        @Override
        public void loseConnection(Throwable reason) {
            real.loseConnection(reason);
        }

        @Override
        public void abortConnection() {
            real.abortConnection();
        }

        @Override
        public boolean isDisconnecting() {
            return real.isDisconnecting();
        }

        @Override
        public Address getPeer() {
            return real.getPeer();
        }

        @Override
        public Address getHost() {
            return real.getHost();
        }

        @Override
        public void registerProducer(Producer producer, boolean streaming) {
            real.registerProducer(producer, streaming);
        }

        @Override
        public void unregisterProducer() {
            real.unregisterProducer();
        }

        @Override
        public void pauseProducing() {
            real.pauseProducing();
        }

        @Override
        public void resumeProducing() {
            real.resumeProducing();
        }

        @Override
        public void stopProducing() {
            real.stopProducing();
        }

        @Override
        public void loseWriteConnection() {
            ((TcpTransport) real).loseWriteConnection();
        }

        @Override
        public void setTcpNoDelay(boolean enabled) {
            ((TcpTransport) real).setTcpNoDelay(enabled);
        }

        @Override
        public boolean getTcpNoDelay() {
            return ((TcpTransport) real).getTcpNoDelay();
        }

        @Override
        public void setTcpKeepAlive(boolean enabled) {
            ((TcpTransport) real).setTcpKeepAlive(enabled);
        }

        @Override
        public boolean getTcpKeepAlive() {
            return ((TcpTransport) real).getTcpKeepAlive();
        }

        @Override
        public void startTLS(SSLContext context, boolean client) {
            ((TlsTransport) real).startTLS(context, client);
        }

        @Override
        public boolean isTlsStarted() {
            return ((TlsTransport) real).isTlsStarted();
        }
    }
}
