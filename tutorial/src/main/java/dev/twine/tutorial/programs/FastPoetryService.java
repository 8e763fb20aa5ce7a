package dev.twine.tutorial.programs;

import dev.twine.application.MultiService;
import dev.twine.application.Service;
import dev.twine.application.Services;
import dev.twine.defer.Deferred;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Reactor;
import dev.twine.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fast poetry server as a service (twisted-server-3/fastpoetry.py and the {@code fastpoetry}
 * twistd plugin, in spirit): a {@link MultiService} of a poem service, which reads the poem when it
 * starts, and a TCP server, which listens once the poem is loaded. Both stop, in reverse order,
 * when the reactor shuts down. It logs through {@link Log} (loading, serving, each connection,
 * stopping), so its lines go where the program's log goes.
 */
public final class FastPoetryService {
    private FastPoetryService() {
    }

    /** Reads the poem when started. */
    static final class PoetryService implements Service {
        private final Path file;
        private String poem;

        PoetryService(Path file) {
            this.file = file;
        }

        @Override
        public String name() {
            return "poetry";
        }

        @Override
        public Deferred<Void> startService() {
            return Deferred.execute(() -> {
                try {
                    poem = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException("No such file: " + file, e);
                }
                log("poetry", "loaded a poem from " + file);
                return null;
            });
        }

        @Override
        public Deferred<Void> stopService() {
            log("poetry", "stopped");
            poem = null;
            return Deferred.succeed(null);
        }

        @Override
        public boolean isRunning() {
            return poem != null;
        }

        String poem() {
            return poem;
        }
    }

    static void log(String system, String message) {
        Log.system(system).msg(message);
    }

    /** The service tree; {@link Services#runWith} starts and stops it with the reactor. */
    public static MultiService create(Reactor reactor, Path poemFile, int port, String iface) {
        PoetryService poetry = new PoetryService(poemFile);
        Services.TcpServer server = Services.tcpServer("fastpoetry", reactor, port, ProtocolFactory.forProtocol(() ->
                new dev.twine.protocol.Protocol() {
                    @Override
                    public void connectionMade() {
                        byte[] bytes = poetry.poem().getBytes(StandardCharsets.UTF_8);
                        log("fastpoetry", "sending " + bytes.length + " bytes of poetry to " + transport().getPeer());
                        transport().write(bytes);
                        transport().loseConnection();
                    }
                }), iface);
        return new MultiService("fastpoetry") {
            @Override
            public Deferred<Void> startService() {
                return super.startService().addVoidCallback(ignored -> {
                    log("fastpoetry", "serving " + poemFile + " on " + server.listeningPort().getHost());
                });
            }

            @Override
            public Deferred<Void> stopService() {
                log("fastpoetry", "stopping");
                return super.stopService();
            }
        }.add(poetry).add(server);
    }
}
