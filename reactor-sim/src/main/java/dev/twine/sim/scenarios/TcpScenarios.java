package dev.twine.sim.scenarios;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.PullProducer;
import dev.twine.protocol.PushProducer;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTime;
import dev.twine.sim.SimulatedReactor;
import dev.twine.sim.Simulation;
import dev.twine.sim.SimulationOptions;
import dev.twine.sim.scenarios.Scripted.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * A catalogue of TCP scenarios, client and server protocol pairs written once against {@code
 * reactor-api}, that run the same on any reactor: on a {@link Simulation} ({@link #runSimulated})
 * and on a real reactor over loopback ({@link #runOn}). Each run gives each side's events
 * normalised for slicing and timing ({@link Side}); the simulation's TCP is right where its
 * sequences equal a real reactor's.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TcpScenarios {
    private TcpScenarios() {
    }

    /** How the connection is set up. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public enum Setup {
        /** The client connects to a listening server. */
        NORMAL,
        /** The port is closed before the client connects: refused. */
        REFUSED,
        /** The server's factory returns null for the connection. */
        SERVER_FACTORY_REFUSES,
        /** The client's factory returns null for the connection. */
        CLIENT_FACTORY_REFUSES
    }

    /**
     * One scenario.
     *
     * @param name its name
     * @param setup how the connection is set up
     * @param server the server protocol's script
     * @param serverHalfCloseable whether the server protocol is half-closeable
     * @param client the client protocol's script
     * @param clientHalfCloseable whether the client protocol is half-closeable
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Scenario(String name, Setup setup, Script server, boolean serverHalfCloseable, Script client,
            boolean clientHalfCloseable) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What a run saw.
     *
     * @param client the client's events
     * @param server the server's events
     * @param errorsLogged how many errors went to the error log
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Outcome(List<String> client, List<String> server, int errorsLogged) {
    }

    // ------------------------------------------------------------------------------------------
    // Scripts used by several scenarios

    private static final byte[] BIG = pattern(300_000);

    private static byte[] pattern(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i * 31 + i / 256);
        }
        return bytes;
    }

    private static Script echo() {
        return Script.idle().onData((p, d) -> p.transport().write(d));
    }

    private static Script sendThenCloseWhenEchoed(byte[] message) {
        return Script.idle().onMade(p -> p.transport().write(message)).onData((p, d) -> {
            if (p.received.size() >= message.length) {
                p.transport().loseConnection();
            }
        });
    }

    private static Script closeWhenGot(int bytes) {
        return Script.idle().onData((p, d) -> {
            if (p.received.size() >= bytes) {
                p.transport().loseConnection();
            }
        });
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Streams {@code total} bytes with a push producer that honours pause and resume, then closes. */
    private static void stream(Scripted p, int total) {
        int[] sent = {0};
        boolean[] paused = {false};
        Runnable[] produce = new Runnable[1];
        produce[0] = () -> {
            while (!paused[0] && sent[0] < total) {
                int n = Math.min(4096, total - sent[0]);
                byte[] chunk = new byte[n];
                System.arraycopy(BIG, sent[0] % (BIG.length - 4096), chunk, 0, n);
                sent[0] += n;
                p.transport().write(chunk);
            }
            if (sent[0] >= total && !paused[0]) {
                sent[0] = Integer.MAX_VALUE / 2;
                p.transport().unregisterProducer();
                p.transport().loseConnection();
            }
        };
        p.transport().registerProducer(new PushProducer() {
            @Override
            public void pauseProducing() {
                paused[0] = true;
            }

            @Override
            public void resumeProducing() {
                paused[0] = false;
                produce[0].run();
            }

            @Override
            public void stopProducing() {
                paused[0] = true;
            }
        }, true);
        produce[0].run();
    }

    /** Writes forever with a push producer (until the connection is lost). */
    private static void streamForever(Scripted p) {
        boolean[] paused = {false};
        PushProducer producer = new PushProducer() {
            @Override
            public void pauseProducing() {
                paused[0] = true;
            }

            @Override
            public void resumeProducing() {
                paused[0] = false;
                while (!paused[0] && !p.transport().isDisconnecting() && p.count++ < 100_000) {
                    p.transport().write(new byte[4096]);
                }
            }

            @Override
            public void stopProducing() {
                paused[0] = true;
                p.note("stopProducing");
            }
        };
        p.transport().registerProducer(producer, true);
        producer.resumeProducing();
    }

    /** Writes {@code chunks} pieces with a pull producer, then unregisters it. */
    private static void pull(Scripted p, int chunks, int size, boolean closeFirst) {
        p.transport().registerProducer(new PullProducer() {
            int written;

            @Override
            public void resumeProducing() {
                if (written < chunks) {
                    byte[] chunk = new byte[size];
                    System.arraycopy(BIG, written * size % (BIG.length - size), chunk, 0, size);
                    written++;
                    p.transport().write(chunk);
                } else {
                    p.transport().unregisterProducer();
                    if (!closeFirst) {
                        p.transport().loseConnection();
                    }
                }
            }

            @Override
            public void stopProducing() {
            }
        }, false);
        if (closeFirst) {
            p.transport().loseConnection();
        }
    }

    // ------------------------------------------------------------------------------------------
    // The catalogue

    /** Every scenario, in a fixed order. */
    public static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        Script idle = Script.idle();
        byte[] hello = text("hello");
        all.add(plain("echo a few bytes", echo(), sendThenCloseWhenEchoed(hello)));
        all.add(plain("echo 300 KB", echo(), sendThenCloseWhenEchoed(BIG)));
        all.add(plain("echo fifty small writes", echo(), Script.idle().onMade(p -> {
            for (int i = 0; i < 50; i++) {
                p.write(Integer.toString(i % 10));
            }
        }).onData((p, d) -> {
            if (p.received.size() >= 50) {
                p.transport().loseConnection();
            }
        })));
        all.add(plain("echo one byte at a time", echo(), Script.idle().onMade(p -> p.write("a")).onData((p, d) -> {
            if (p.received.size() >= 20) {
                p.transport().loseConnection();
            } else {
                p.write(Character.toString((char) ('a' + p.received.size())));
            }
        })));
        all.add(plain("echo a writeSequence", echo(), Script.idle().onMade(p -> p.transport().writeSequence(
                List.of(text("one,"), text("two,"), text("three")))).onData((p, d) -> {
                    if (p.received.size() >= 13) {
                        p.transport().loseConnection();
                    }
                })));
        all.add(plain("ping-pong twenty rounds", Script.idle().onData((p, d) -> {
            if (p.received.size() % 4 == 0) {
                p.write("pong");
            }
        }),
                Script.idle().onMade(p -> p.write("ping")).onData((p, d) -> {
                    if (p.received.size() % 4 == 0) {
                        if (++p.count == 20) {
                            p.transport().loseConnection();
                        } else {
                            p.write("ping");
                        }
                    }
                })));
        all.add(plain("server greets and closes", Script.idle().onMade(p -> {
            p.write("hi");
            p.transport().loseConnection();
        }), idle));
        all.add(plain("server closes at once", Script.idle().onMade(p -> p.transport().loseConnection()), idle));
        all.add(plain("client closes at once", idle, Script.idle().onMade(p -> p.transport().loseConnection())));
        all.add(plain("server closes twice", Script.idle().onMade(p -> {
            p.write("x");
            p.transport().loseConnection();
            p.transport().loseConnection();
        }), idle));
        all.add(plain("write after loseConnection in the same callback is sent", Script.idle().onMade(p -> {
            p.write("a");
            p.transport().loseConnection();
            p.write("b");
        }), idle));
        all.add(plain("loseConnection with a reason", Script.idle().onMade(p -> p.transport().loseConnection(
                new IllegalStateException("a malformed frame"))), idle));
        all.add(plain("server aborts at once", Script.idle().onMade(p -> p.transport().abortConnection()), idle));
        all.add(plain("client aborts at once", idle, Script.idle().onMade(p -> p.transport().abortConnection())));
        all.add(plain("server aborts after the request", Script.idle().onData((p, d) -> {
            if (p.received.size() >= 7) {
                p.transport().abortConnection();
            }
        }), Script.idle().onMade(p -> p.write("request"))));
        all.add(plain("abort drops what was written in the same callback", Script.idle().onMade(p -> {
            p.transport().write(BIG);
            p.transport().abortConnection();
        }), idle));
        all.add(plain("abort after loseConnection", Script.idle().onMade(p -> {
            p.transport().loseConnection();
            p.transport().abortConnection();
        }), idle));
        all.add(plain("loseConnection sends a large pending write", Script.idle().onMade(p -> {
            p.transport().write(BIG);
            p.transport().loseConnection();
        }), idle));
        all.add(new Scenario("client half-closes, half-closeable server answers", Setup.NORMAL,
                Script.idle().onReadLost(p -> {
                    p.transport().write(new StringBuilder(p.received.toString(StandardCharsets.ISO_8859_1)).reverse().toString()
                            .getBytes(StandardCharsets.ISO_8859_1));
                    p.transport().loseConnection();
                }), true, Script.idle().onMade(p -> {
                    p.write("request");
                    p.tcp().loseWriteConnection();
                }), true));
        all.add(new Scenario("client half-closes to a plain echo server", Setup.NORMAL, echo(), false,
                Script.idle().onMade(p -> {
                    p.write("x");
                    p.tcp().loseWriteConnection();
                }), true));
        all.add(new Scenario("server half-closes after a greeting", Setup.NORMAL, Script.idle().onMade(p -> {
            p.write("bye");
            p.tcp().loseWriteConnection();
        }), true, idle, false));
        all.add(new Scenario("half-closeable client reads the server's end, then closes", Setup.NORMAL,
                Script.idle().onMade(p -> {
                    p.write("data");
                    p.tcp().loseWriteConnection();
                }), true, Script.idle().onReadLost(p -> p.transport().loseConnection()), true));
        all.add(plain("client's dataReceived throws", echo(), Script.idle().onMade(p -> p.write("boom")).onData((p, d) -> {
            if (p.received.size() >= 4) {
                throw new IllegalStateException("client fails on purpose");
            }
        })));
        all.add(plain("server's connectionMade throws", Script.idle().onMade(p -> {
            throw new IllegalStateException("server fails on purpose");
        }), idle));
        all.add(plain("client's connectionLost throws", Script.idle().onMade(p -> p.transport().loseConnection()),
                Script.idle().onLost(p -> {
                    throw new IllegalStateException("connectionLost fails on purpose");
                })));
        all.add(new Scenario("refused: nobody listens", Setup.REFUSED, idle, false, idle, false));
        all.add(new Scenario("server factory refuses the connection", Setup.SERVER_FACTORY_REFUSES, idle, false, idle, false));
        all.add(new Scenario("client factory refuses the connection", Setup.CLIENT_FACTORY_REFUSES, idle, false, idle, false));
        all.add(plain("pull producer writes ten pieces then closes", Script.idle().onMade(p -> pull(p, 10, 1000, false)), idle));
        all.add(plain("pull producer holds a loseConnection until it unregisters",
                Script.idle().onMade(p -> pull(p, 3, 5000, true)), idle));
        all.add(plain("push producer streams 2 MB", Script.idle().onMade(p -> stream(p, 2_000_000)), idle));
        all.add(plain("slow reader pauses and resumes its transport", Script.idle().onMade(p -> stream(p, 300_000)),
                Script.idle().onData((p, d) -> {
                    p.transport().pauseProducing();
                    p.later(Duration.ofMillis(1), p.transport()::resumeProducing);
                })));
        all.add(plain("server reads only after a pause", Script.idle().onMade(p -> {
            p.transport().pauseProducing();
            p.later(Duration.ofMillis(20), p.transport()::resumeProducing);
        }), Script.idle().onMade(p -> {
            p.write("early words");
            p.transport().loseConnection();
        })));
        all.add(plain("client resets mid-stream", Script.idle().onMade(p -> p.write("ready")).onData((p, d) -> {
            if (p.received.size() >= 2 && p.count == 0) {
                streamForever(p);
            }
        }), Script.idle().onData((p, d) -> {
            if (p.received.size() >= 5 && !p.quiet) {
                p.quiet = true; // how much of the stream arrives before the reset depends on timing
                p.write("go");
                p.later(Duration.ofMillis(5), p.transport()::abortConnection);
            }
        })));
        all.add(plain("client closes after a timer", idle, Script.idle().onMade(p -> p.later(Duration.ofMillis(5),
                p.transport()::loseConnection))));
        all.add(plain("echo 300 KB both ways with the client closing when done", echo(), closeWhenGot(BIG.length)
                .onMade(p -> p.transport().write(BIG))));
        return all;
    }

    private static Scenario plain(String name, Script server, Script client) {
        return new Scenario(name, Setup.NORMAL, server, false, client, false);
    }

    // ------------------------------------------------------------------------------------------
    // Running

    private static final class Run {
        final Side client = new Side();
        final Side server = new Side();
        final AtomicInteger errors = new AtomicInteger();

        ProtocolFactory serverFactory(Scenario scenario, ReactorTime time) {
            return address -> {
                if (scenario.setup() == Setup.SERVER_FACTORY_REFUSES) {
                    server.add("refused by its factory");
                    return null;
                }
                return scenario.serverHalfCloseable() ? new Scripted.Half(server, scenario.server(), time)
                        : new Scripted(server, scenario.server(), time);
            };
        }

        ClientFactory clientFactory(Scenario scenario, ReactorTime time) {
            return new ClientFactory() {
                @Override
                public Protocol buildProtocol(Address address) {
                    if (scenario.setup() == Setup.CLIENT_FACTORY_REFUSES) {
                        return null;
                    }
                    return scenario.clientHalfCloseable() ? new Scripted.Half(client, scenario.client(), time)
                            : new Scripted(client, scenario.client(), time);
                }

                @Override
                public void clientConnectionFailed(Connector connector, Failure reason) {
                    client.done("connect failed " + reason.type().getSimpleName());
                }

                @Override
                public void clientConnectionLost(Connector connector, Failure reason) {
                    client.add("clientConnectionLost " + reason.type().getSimpleName());
                }
            };
        }

        boolean finished(Scenario scenario) {
            boolean serverExpected = scenario.setup() == Setup.NORMAL || scenario.setup() == Setup.CLIENT_FACTORY_REFUSES;
            return client.isDone() && (!serverExpected || server.isDone());
        }

        Outcome outcome() {
            return new Outcome(client.events(), server.events(), errors.get());
        }

        ErrorLog log() {
            return (failure, why) -> errors.incrementAndGet();
        }
    }

    /** Runs {@code scenario} in a simulation of {@code seed} with {@code options}: server and client on two hosts. */
    public static Outcome runSimulated(Scenario scenario, long seed, SimulationOptions options) {
        Run run = new Run();
        try (ErrorLog.Binding ignored = ErrorLog.bind(run.log())) {
            Simulation sim = new Simulation(seed, options);
            SimulatedReactor server = sim.host("server");
            SimulatedReactor client = sim.host("client");
            ListeningPort port = server.listenTCP(0, run.serverFactory(scenario, server));
            int number = ((IPv4Address) port.getHost()).port();
            if (scenario.setup() == Setup.REFUSED) {
                port.stopListening();
                sim.run();
            }
            client.connectTCP(server.address(), number, run.clientFactory(scenario, client));
            sim.run();
            if (!run.finished(scenario)) {
                throw sim.failure("scenario '" + scenario.name() + "' did not finish: client " + run.client.events() + ", server "
                        + run.server.events(), null);
            }
        }
        return run.outcome();
    }

    /**
     * Runs {@code scenario} on {@code reactor}, a real one that has not run, over loopback: runs it
     * on the calling thread until both sides have finished (or 20 s have passed), then stops it.
     *
     * @throws AssertionError if the scenario did not finish
     */
    public static Outcome runOn(Reactor reactor, Scenario scenario) {
        Run run = new Run();
        boolean[] timedOut = {false};
        reactor.callWhenRunning(() -> {
            ListeningPort port = reactor.listenTCP(0, run.serverFactory(scenario, reactor), 50, "127.0.0.1");
            int number = ((IPv4Address) port.getHost()).port();
            Runnable connect = () -> reactor.connectTCP("127.0.0.1", number, run.clientFactory(scenario, reactor),
                    Duration.ofSeconds(10), null);
            if (scenario.setup() == Setup.REFUSED) {
                port.stopListening().addCallback(v -> {
                    connect.run();
                    return null;
                });
            } else {
                connect.run();
            }
            Runnable[] poll = new Runnable[1];
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            poll[0] = () -> {
                if (run.finished(scenario) || System.nanoTime() > deadline) {
                    timedOut[0] = !run.finished(scenario);
                    port.stopListening().addBoth((v, f) -> {
                        reactor.stop();
                        return null;
                    });
                } else {
                    reactor.callLater(Duration.ofMillis(1), poll[0]);
                }
            };
            reactor.callLater(Duration.ofMillis(1), poll[0]);
        });
        try (ErrorLog.Binding ignored = ErrorLog.bind(run.log())) {
            reactor.run();
        }
        if (timedOut[0]) {
            throw new AssertionError("scenario '" + scenario.name() + "' did not finish in 20 s: client " + run.client.events()
                    + ", server " + run.server.events());
        }
        return run.outcome();
    }
}
