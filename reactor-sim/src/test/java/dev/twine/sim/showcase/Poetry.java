package dev.twine.sim.showcase;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.sim.FaultPlan;
import dev.twine.sim.Simulation;
import dev.twine.sim.SimulatedReactor;
import dev.twine.sim.SimulationFailure;
import dev.twine.sim.SimulationOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The showcase: three slow poetry servers, a proxy in front of them, and a client that fetches one
 * poem from each through the proxy, as in the Twisted tutorial (written here as test protocols).
 * {@link #run} runs it under one seed with seeded faults and checks that every poem arrived
 * exactly or failed with a clear reason, and none twice.
 */
public final class Poetry {
    private Poetry() {
    }

    static final List<String> POEMS = List.of(
            "Whose woods these are I think I know.\nHis house is in the village though;\nHe will not see me stopping here\n"
                    + "To watch his woods fill up with snow.\n",
            "Because I could not stop for Death -\nHe kindly stopped for me -\nThe Carriage held but just Ourselves -\n"
                    + "And Immortality.\n",
            "I wandered lonely as a cloud\nThat floats on high o'er vales and hills,\nWhen all at once I saw a crowd,\n"
                    + "A host, of golden daffodils;\n");
    static final String END = "-- end of poem --\n";

    /** A slow poetry server: the poem a few bytes at a time, then the end line, then it closes. */
    static final class SlowPoet extends Protocol {
        private final Reactor reactor;
        private final byte[] poem;
        private int sent;
        private DelayedCall next;

        SlowPoet(Reactor reactor, String poem) {
            this.reactor = reactor;
            this.poem = (poem + END).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void connectionMade() {
            sendSome();
        }

        private void sendSome() {
            next = null;
            int n = Math.min(16, poem.length - sent);
            byte[] piece = new byte[n];
            System.arraycopy(poem, sent, piece, 0, n);
            sent += n;
            transport().write(piece);
            if (sent < poem.length) {
                next = reactor.callLater(Duration.ofMillis(3), this::sendSome);
            } else {
                transport().loseConnection();
            }
        }

        @Override
        public void connectionLost(Failure reason) {
            if (next != null && next.isActive()) {
                next.cancel();
            }
        }
    }

    /** The proxy: relays a client to its poet; a clean close upstream closes cleanly, anything else aborts. */
    static final class Proxy extends Protocol {
        private final Reactor reactor;
        private final String poet;
        private Protocol upstream;
        private final List<byte[]> early = new ArrayList<>();

        Proxy(Reactor reactor, String poet) {
            this.reactor = reactor;
            this.poet = poet;
        }

        @Override
        public void connectionMade() {
            Proxy downstream = this;
            reactor.connectTCP(poet, 10000, new ClientFactory() {
                @Override
                public Protocol buildProtocol(Address address) {
                    upstream = new Protocol() {
                        @Override
                        public void connectionMade() {
                            early.forEach(transport()::write);
                            early.clear();
                        }

                        @Override
                        public void dataReceived(byte[] data) {
                            downstream.transport().write(data);
                        }

                        @Override
                        public void connectionLost(Failure reason) {
                            if (reason.check(ConnectionDone.class) != null) {
                                downstream.transport().loseConnection();
                            } else {
                                downstream.transport().abortConnection();
                            }
                        }
                    };
                    return upstream;
                }

                @Override
                public void clientConnectionFailed(Connector connector, Failure reason) {
                    downstream.transport().abortConnection();
                }
            }, Duration.ofSeconds(2), null);
        }

        @Override
        public void dataReceived(byte[] data) {
            if (upstream != null && upstream.transport() != null) {
                upstream.transport().write(data);
            } else {
                early.add(data);
            }
        }

        @Override
        public void connectionLost(Failure reason) {
            if (upstream != null && upstream.transport() != null) {
                upstream.transport().loseConnection();
            }
        }
    }

    /** Why a poem did not arrive. */
    static final class PoemFailed extends Exception {
        PoemFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The client: a Deferred that fires with the poem once the connection closes cleanly after the
     * end line, or fails saying how much arrived and why it stopped. The {@code broken} client
     * takes whatever arrived before the connection was lost as the poem (it ignores why it was lost).
     */
    static Deferred<String> getPoem(Reactor reactor, String host, int port, boolean broken) {
        Deferred<String> poem = new Deferred<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        reactor.connectTCP(host, port, new ClientFactory() {
            @Override
            public Protocol buildProtocol(Address address) {
                return new Protocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                        got.writeBytes(data);
                    }

                    @Override
                    public void connectionLost(Failure reason) {
                        String text = got.toString(StandardCharsets.UTF_8);
                        if (broken || (reason.check(ConnectionDone.class) != null && text.endsWith(END))) {
                            poem.callback(text.endsWith(END) ? text.substring(0, text.length() - END.length()) : text);
                        } else {
                            poem.errback(new PoemFailed("the poem from port " + port + " stopped after " + got.size()
                                    + " bytes: " + reason.type().getSimpleName(), reason.value()));
                        }
                    }
                };
            }

            @Override
            public void clientConnectionFailed(Connector connector, Failure reason) {
                poem.errback(new PoemFailed("could not reach the proxy on port " + port + ": "
                        + reason.type().getSimpleName(), reason.value()));
            }
        }, Duration.ofSeconds(5), null);
        return poem;
    }

    /** What one seed gave: how many poems arrived and how many failed, each with its reason. */
    record Result(int arrived, int failed) {
    }

    /** The hosts faults may hit. */
    static final List<String> HOSTS = List.of("poet1", "poet2", "poet3", "proxy");

    /** The faults of {@code seed}: none for a quarter of the seeds, else one to three. */
    static FaultPlan faults(long seed) {
        int count = (int) ((seed * 0x9E3779B97F4A7C15L >>> 33) % 4);
        return FaultPlan.random(seed, HOSTS, Duration.ofMillis(200), count);
    }

    /**
     * Runs the showcase under {@code seed}: fetches the three poems through the proxy, and checks
     * each arrived exactly or failed with a reason, once.
     *
     * @throws SimulationFailure naming the seed (and its faults) if not
     */
    static Result run(long seed, boolean brokenClient) {
        Simulation sim = new Simulation(seed, SimulationOptions.defaults().withFaults(faults(seed)));
        for (int i = 0; i < 3; i++) {
            SimulatedReactor poet = sim.host("poet" + (i + 1));
            String poem = POEMS.get(i);
            poet.listenTCP(10000, ProtocolFactory.forProtocol(() -> new SlowPoet(poet, poem)));
        }
        SimulatedReactor proxy = sim.host("proxy");
        for (int i = 0; i < 3; i++) {
            String poet = "poet" + (i + 1);
            proxy.listenTCP(8001 + i, ProtocolFactory.forProtocol(() -> new Proxy(proxy, poet)));
        }
        SimulatedReactor client = sim.host("client");
        int[] outcomes = new int[3];
        String[] problems = new String[3];
        int arrived = 0;
        int failed = 0;
        List<Deferred<String>> poems = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            poems.add(getPoem(client, "proxy", 8001 + i, brokenClient).addBoth((poem, failure) -> {
                outcomes[index]++;
                if (failure == null && !POEMS.get(index).equals(poem)) {
                    problems[index] = "poem " + (index + 1) + " arrived different from the original (" + poem.length() + " of "
                            + POEMS.get(index).length() + " characters)";
                } else if (failure != null && failure.value().getMessage() == null) {
                    problems[index] = "poem " + (index + 1) + " failed without a reason: " + failure;
                }
                return failure == null ? "arrived" : "failed";
            }));
        }
        try {
            sim.run();
        } catch (SimulationFailure e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw sim.failure("the run threw", e);
        }
        for (int i = 0; i < 3; i++) {
            if (outcomes[i] != 1) {
                throw sim.failure("poem " + (i + 1) + " had " + outcomes[i] + " outcomes instead of exactly one", null);
            }
            if (problems[i] != null) {
                throw sim.failure(problems[i], null);
            }
            if ("arrived".equals(sim.runUntil(poems.get(i)))) {
                arrived++;
            } else {
                failed++;
            }
        }
        return new Result(arrived, failed);
    }
}
