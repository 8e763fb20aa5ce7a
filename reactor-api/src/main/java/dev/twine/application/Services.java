package dev.twine.application;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.ReactorCore;
import dev.twine.reactor.ReactorTCP;
import java.util.Objects;
import org.apiguardian.api.API;

/** Running services with a reactor, and the common ones. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Services {
    private Services() {
    }

    /**
     * Starts {@code service} once {@code reactor} runs, and stops it when the reactor shuts down:
     * a {@code before shutdown} trigger waits for its stop, so it has finished (its ports closed,
     * its state saved) before the reactor closes what is left. A failure to start is logged and
     * stops the reactor.
     */
    public static <R extends ReactorCore> void runWith(R reactor, Service service) {
        Objects.requireNonNull(service, "service");
        reactor.callWhenRunning(() -> service.startService().addVoidErrback(failure -> {
            ErrorLog.current().err(failure, "The service " + service.name() + " failed to start:");
            if (reactor.isRunning()) {
                reactor.stop();
            }
        }));
        reactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN,
                () -> service.isRunning() ? service.stopService() : null);
    }

    /**
     * A service that listens on a TCP port while it runs: Twisted's {@code TCPServer}. Its port is
     * known once it has started.
     */
    public static TcpServer tcpServer(String name, ReactorTCP reactor, int port, ProtocolFactory factory, String iface) {
        return new TcpServer(name, reactor, port, factory, iface);
    }

    /** A service listening on a TCP port. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static final class TcpServer implements Service {
        private final String name;
        private final ReactorTCP reactor;
        private final int port;
        private final ProtocolFactory factory;
        private final String iface;
        private ListeningPort listening;

        TcpServer(String name, ReactorTCP reactor, int port, ProtocolFactory factory, String iface) {
            this.name = Objects.requireNonNull(name, "name");
            this.reactor = Objects.requireNonNull(reactor, "reactor");
            this.port = port;
            this.factory = Objects.requireNonNull(factory, "factory");
            this.iface = iface;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Deferred<Void> startService() {
            return Deferred.execute(() -> {
                listening = reactor.listenTCP(port, factory, 50, iface);
                return null;
            });
        }

        @Override
        public Deferred<Void> stopService() {
            ListeningPort stopping = listening;
            listening = null;
            return stopping == null ? Deferred.succeed(null) : stopping.stopListening();
        }

        @Override
        public boolean isRunning() {
            return listening != null;
        }

        /** The port it listens on, while it runs. */
        public ListeningPort listeningPort() {
            if (listening == null) {
                throw new IllegalStateException(name + " is not listening");
            }
            return listening;
        }
    }
}
