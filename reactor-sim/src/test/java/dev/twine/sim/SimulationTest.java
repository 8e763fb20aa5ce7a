package dev.twine.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectTimeoutException;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.HalfCloseableProtocol;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.Connector;
import dev.twine.task.LoopingCall;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulationTest {

    static final class Echo extends Protocol {
        @Override
        public void dataReceived(byte[] data) {
            transport().write(data);
        }
    }

    /** Sends a message, collects what comes back until it has it all, then closes. */
    static final class Client extends Protocol {
        final byte[] message;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Deferred<String> done = new Deferred<>();
        int reads;

        Client(String message) {
            this.message = message.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void connectionMade() {
            transport().write(message);
        }

        @Override
        public void dataReceived(byte[] data) {
            reads++;
            received.writeBytes(data);
            if (received.size() >= message.length) {
                transport().loseConnection();
            }
        }

        @Override
        public void connectionLost(Failure reason) {
            done.callback(received.toString(StandardCharsets.UTF_8) + " / " + reason.type().getSimpleName());
        }
    }

    private static String echoRun(long seed, List<String> trace) {
        Simulation sim = new Simulation(seed, SimulationOptions.defaults().withTrace(true).withMaxSegment(7));
        SimulatedReactor server = sim.host("server");
        SimulatedReactor client = sim.host("client");
        server.listenTCP(7, ProtocolFactory.forProtocol(Echo::new));
        Client protocol = new Client("hello, simulated world");
        client.connectTCP("server", 7, (ClientFactory) address -> protocol);
        String result = sim.runUntil(protocol.done);
        trace.addAll(sim.trace());
        return result + " in " + protocol.reads + " reads";
    }

    @Test
    void echoesBetweenHostsAndTheSameSeedGivesTheSameTrace() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        String a = echoRun(42, first);
        String b = echoRun(42, second);
        assertThat(a).startsWith("hello, simulated world / ConnectionDone");
        assertThat(b).isEqualTo(a);
        assertThat(second).isEqualTo(first).isNotEmpty();
        List<String> other = new ArrayList<>();
        echoRun(43, other);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void hostsHaveSimulatedAddresses() {
        Simulation sim = new Simulation(1);
        assertThat(sim.host("a").address()).isEqualTo("10.0.0.1");
        assertThat(sim.host("b").address()).isEqualTo("10.0.0.2");
        assertThat(sim.host("a")).isSameAs(sim.hosts().get(0));
    }

    @Test
    void virtualTimeJumpsWithoutSleeping() {
        Simulation sim = new Simulation(7);
        SimulatedReactor host = sim.host("h");
        List<Double> seen = new ArrayList<>();
        host.callLater(Duration.ofHours(2), () -> seen.add(host.seconds()));
        long start = System.nanoTime();
        sim.run();
        assertThat(seen).containsExactly(7200.0);
        assertThat(sim.now()).isEqualTo(Duration.ofHours(2));
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(3600);
    }

    @Test
    void runForStopsAtTheGivenTime() {
        Simulation sim = new Simulation(7);
        SimulatedReactor host = sim.host("h");
        List<String> seen = new ArrayList<>();
        host.callLater(Duration.ofSeconds(1), () -> seen.add("1s"));
        host.callLater(Duration.ofSeconds(3), () -> seen.add("3s"));
        sim.runFor(Duration.ofSeconds(2));
        assertThat(seen).containsExactly("1s");
        assertThat(sim.now()).isEqualTo(Duration.ofSeconds(2));
        sim.run();
        assertThat(seen).containsExactly("1s", "3s");
    }

    @Test
    void aLoopThatNeverEndsFailsNamingTheSeed() {
        Simulation sim = new Simulation(99, SimulationOptions.defaults().withEventLimit(10_000));
        SimulatedReactor host = sim.host("h");
        LoopingCall loop = new LoopingCall(host, () -> { });
        loop.start(Duration.ofMillis(1));
        assertThatThrownBy(sim::run).isInstanceOf(SimulationFailure.class).hasMessageContaining("seed=99")
                .hasMessageContaining("did not become idle");
    }

    @Test
    void aLoopThatNeverEndsIsStoppedByTheTimeLimit() {
        Simulation sim = new Simulation(5, SimulationOptions.defaults().withTimeLimit(Duration.ofMinutes(1)));
        SimulatedReactor host = sim.host("h");
        new LoopingCall(host, () -> { }).start(Duration.ofSeconds(10));
        assertThatThrownBy(sim::run).isInstanceOf(SimulationFailure.class).hasMessageContaining("seed=5")
                .hasMessageContaining("virtual time");
    }

    @Test
    void anotherThreadGetsAClearErrorButMayCallFromThread() throws Exception {
        Simulation sim = new Simulation(3);
        SimulatedReactor host = sim.host("h");
        CompletableFuture<Throwable> misuse = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                host.callLater(Duration.ZERO, () -> { });
                misuse.complete(null);
            } catch (Throwable e) {
                misuse.complete(e);
            }
            host.callFromThread(() -> { });
        });
        other.start();
        other.join();
        assertThat(misuse.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("callFromThread")
                .hasMessageContaining("seed 3");
        sim.run();
        assertThat(sim.events()).isPositive();
    }

    @Test
    void deferToThreadRunsOnTheSimulationThreadAtASeededPoint() {
        Simulation sim = new Simulation(11);
        SimulatedReactor host = sim.host("h");
        Thread main = Thread.currentThread();
        Deferred<String> result = host.deferToThread(() -> Thread.currentThread() == main ? "same thread" : "other");
        assertThat(sim.runUntil(result)).isEqualTo("same thread");
        assertThat(sim.now()).isLessThanOrEqualTo(Duration.ofMillis(1));
    }

    @Test
    void refusedAndTimedOutConnects() {
        Simulation sim = new Simulation(8, SimulationOptions.defaults()
                .withFaults(FaultPlan.of(Fault.partition("c", "far", Duration.ZERO, Fault.FOREVER))));
        SimulatedReactor c = sim.host("c");
        sim.host("s");
        sim.host("far").listenTCP(80, ProtocolFactory.forProtocol(Echo::new));
        List<String> failures = new ArrayList<>();
        ClientFactory recording = new ClientFactory() {
            @Override
            public Protocol buildProtocol(dev.twine.reactor.Address address) {
                return new Echo();
            }

            @Override
            public void clientConnectionFailed(Connector connector, Failure reason) {
                failures.add(reason.type().getSimpleName() + "@" + connector.getDestination());
            }
        };
        c.connectTCP("s", 80, recording);
        c.connectTCP("far", 80, recording, Duration.ofSeconds(5), null);
        c.connectTCP("nowhere", 80, recording);
        sim.run();
        assertThat(failures).hasSize(3);
        assertThat(failures.get(0)).startsWith("DnsLookupException");
        assertThat(failures.get(1)).startsWith(ConnectionRefusedException.class.getSimpleName());
        assertThat(failures.get(2)).startsWith(ConnectTimeoutException.class.getSimpleName());
        assertThat(sim.now()).isEqualTo(Duration.ofSeconds(5));
    }

    static final class HalfCloser extends Protocol implements HalfCloseableProtocol {
        final List<String> events = new ArrayList<>();

        @Override
        public void connectionMade() {
            transport().write("request".getBytes(StandardCharsets.UTF_8));
            ((dev.twine.protocol.TcpTransport) transport()).loseWriteConnection();
        }

        @Override
        public void dataReceived(byte[] data) {
            events.add("data " + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void readConnectionLost() {
            events.add("readConnectionLost");
        }

        @Override
        public void writeConnectionLost() {
            events.add("writeConnectionLost");
        }

        @Override
        public void connectionLost(Failure reason) {
            events.add("lost " + reason.type().getSimpleName());
        }
    }

    /** Reads until end of input, then answers with what it read, reversed, and closes. */
    static final class Reverser extends Protocol implements HalfCloseableProtocol {
        final StringBuilder got = new StringBuilder();

        @Override
        public void dataReceived(byte[] data) {
            got.append(new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void readConnectionLost() {
            transport().write(got.reverse().toString().getBytes(StandardCharsets.UTF_8));
            transport().loseConnection();
        }

        @Override
        public void writeConnectionLost() {
        }
    }

    @Test
    void halfCloseLetsThePeerAnswerAfterEndOfInput() {
        for (long seed = 0; seed < 50; seed++) {
            Simulation sim = new Simulation(seed, SimulationOptions.defaults().withMaxSegment(1));
            sim.host("server").listenTCP(9, ProtocolFactory.forProtocol(Reverser::new));
            HalfCloser client = new HalfCloser();
            sim.host("client").connectTCP("server", 9, (ClientFactory) a -> client);
            sim.run();
            String joined = String.join(",", client.events).replaceAll("data ", "");
            assertThat(joined.replace(",", "").replace("writeConnectionLost", "").replace("readConnectionLost", "")
                    .replace("lost ConnectionDone", "")).as("seed %d: %s", seed, client.events).isEqualTo("tseuqer");
            assertThat(client.events).as("seed " + seed).startsWith("writeConnectionLost").endsWith("lost ConnectionDone")
                    .contains("readConnectionLost");
        }
    }

    @Test
    void aThrowingProtocolLosesOnlyItsConnectionAndLogs() {
        List<String> logged = new ArrayList<>();
        try (ErrorLog.Binding ignored = ErrorLog.bind((failure, why) -> logged.add(why + " " + failure.type().getSimpleName()))) {
            Simulation sim = new Simulation(2);
            SimulatedReactor server = sim.host("server");
            server.listenTCP(7, ProtocolFactory.forProtocol(() -> new Protocol() {
                @Override
                public void dataReceived(byte[] data) {
                    if (new String(data, StandardCharsets.UTF_8).contains("!")) {
                        throw new IllegalStateException("boom");
                    }
                    transport().write(data);
                }
            }));
            Client bad = new Client("!"); // one byte: no slicing can split it
            Client good = new Client("fine");
            sim.host("c1").connectTCP("server", 7, (ClientFactory) a -> bad);
            sim.host("c2").connectTCP("server", 7, (ClientFactory) a -> good);
            sim.run();
            assertThat(bad.done.isCalled()).isTrue();
            assertThat(sim.runUntil(bad.done)).isEqualTo(" / ConnectionDone");
            assertThat(sim.runUntil(good.done)).isEqualTo("fine / ConnectionDone");
        }
        assertThat(logged).hasSize(1).allMatch(line -> line.contains("dataReceived") && line.endsWith("IllegalStateException"));
    }

    @Test
    void abortGivesConnectionAbortedHereAndConnectionLostThere() {
        Simulation sim = new Simulation(4);
        List<String> events = new ArrayList<>();
        sim.host("server").listenTCP(7, ProtocolFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport().abortConnection();
            }

            @Override
            public void connectionLost(Failure reason) {
                events.add("server " + reason.type().getSimpleName());
            }
        }));
        sim.host("client").connectTCP("server", 7, (ClientFactory) a -> new Protocol() {
            @Override
            public void connectionLost(Failure reason) {
                events.add("client " + reason.type().getSimpleName());
            }
        });
        sim.run();
        assertThat(events).containsExactly("server ConnectionAborted", "client " + ConnectionLost.class.getSimpleName());
    }

    @Test
    void aStreamingProducerIsPausedByASlowReaderAndResumed() {
        Simulation sim = new Simulation(6, SimulationOptions.defaults().withBuffers(1024, 2048));
        List<String> events = new ArrayList<>();
        int total = 100_000;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        sim.host("server").listenTCP(7, ProtocolFactory.forProtocol(() -> new Protocol() {
            int sentBytes;
            boolean paused;

            @Override
            public void connectionMade() {
                transport().registerProducer(new PushProducer() {
                    @Override
                    public void pauseProducing() {
                        paused = true;
                        events.add("pause");
                    }

                    @Override
                    public void resumeProducing() {
                        paused = false;
                        events.add("resume");
                        produce();
                    }

                    @Override
                    public void stopProducing() {
                    }
                }, true);
                produce();
            }

            void produce() {
                while (!paused && sentBytes < total) {
                    transport().write(new byte[500]);
                    sentBytes += 500;
                }
                if (sentBytes >= total) {
                    transport().unregisterProducer();
                    transport().loseConnection();
                }
            }
        }));
        SimulatedReactor client = sim.host("client");
        sim.host("client").connectTCP("server", 7, (ClientFactory) a -> new Protocol() {
            @Override
            public void dataReceived(byte[] data) {
                got.writeBytes(data);
                transport().pauseProducing();
                client.callLater(Duration.ofMillis(10), transport()::resumeProducing);
            }
        });
        sim.run();
        assertThat(got.size()).isEqualTo(total);
        assertThat(events).contains("pause", "resume");
        assertThat(events.stream().filter("pause"::equals).count())
                .isEqualTo(events.stream().filter("resume"::equals).count());
    }

    @Test
    void faultPlansPrintAndParseBack() {
        FaultPlan plan = FaultPlan.of(Fault.latencySpike("*", Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofNanos(1500)),
                Fault.tinySegments("a", Duration.ZERO, Fault.FOREVER), Fault.resetAfter("b", 100, Duration.ZERO, Duration.ofSeconds(2)),
                Fault.refuseConnects("b", Duration.ofMillis(1), Duration.ofMillis(2)), Fault.stopReading("a", Duration.ZERO, Duration.ofMillis(5)),
                Fault.partition("a", "b", Duration.ofMillis(3), Duration.ofMillis(4)), Fault.crash("b", Duration.ofMillis(9)));
        assertThat(FaultPlan.parse(plan.toString())).isEqualTo(plan);
        FaultPlan random = FaultPlan.random(17, List.of("a", "b"), Duration.ofSeconds(1), 6);
        assertThat(FaultPlan.random(17, List.of("a", "b"), Duration.ofSeconds(1), 6)).isEqualTo(random);
        assertThat(FaultPlan.parse(random.toString())).isEqualTo(random);
    }

    @Test
    void resetAfterNBytesCutsTheStream() {
        Simulation sim = new Simulation(12, SimulationOptions.defaults()
                .withFaults(FaultPlan.of(Fault.resetAfter("server", 10, Duration.ZERO, Fault.FOREVER))));
        sim.host("server").listenTCP(7, ProtocolFactory.forProtocol(Echo::new));
        Client client = new Client("0123456789abcdefghij");
        sim.host("client").connectTCP("server", 7, (ClientFactory) a -> client);
        assertThat(sim.runUntil(client.done)).isEqualTo("0123456789 / ConnectionLost");
        assertThat(ConnectionDone.class).isNotNull();
    }
}
