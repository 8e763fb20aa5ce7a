package dev.twine.reactor.nio;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static dev.twine.reactor.nio.TcpTest.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.Echo;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** 1,000 connections opened and closed leave no file descriptor and no thread behind. */
class ResourceLeakTest {

    private static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toSet());
    }

    private static void openAndClose(int connections, int atOnce) {
        new Harness().run(reactor -> inlineCallbacks(() -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(Echo::new), 200, "127.0.0.1");
            for (int done = 0; done < connections; done += atOnce) {
                List<Deferred<Throwable>> closed = new ArrayList<>();
                for (int i = 0; i < atOnce; i++) {
                    RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(() -> new Recorder() {
                        @Override
                        public void connectionMade() {
                            super.connectionMade();
                            send("x");
                        }

                        @Override
                        public void dataReceived(byte[] data) {
                            super.dataReceived(data);
                            transport().loseConnection();
                        }
                    });
                    reactor.connectTCP("127.0.0.1", port(port), client);
                    closed.add(client.lost);
                }
                await(DeferredList.gatherResults(closed));
            }
            await(port.stopListening());
            return null;
        }));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thousandConnectionsLeaveNothingBehind() {
        openAndClose(20, 10); // load classes and JDK internals before counting
        int descriptorsBefore = openDescriptors();
        Set<String> threadsBefore = liveThreads();

        openAndClose(1000, 50);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(openDescriptors()).isLessThanOrEqualTo(descriptorsBefore));
        Set<String> newThreads = liveThreads();
        newThreads.removeAll(threadsBefore);
        assertThat(newThreads).as("threads left running").noneMatch(name -> name.startsWith("twine-"));
    }
}
