package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Bytes;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.Poems;
import dev.twine.fakes.SlowPoetryServer;
import dev.twine.fakes.TransformServer;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.basic.NetstringParseException;
import dev.twine.protocol.basic.NetstringReceiver;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The Twisted tutorial end to end, on the reactor under test: poetry and transform clients
 * against the fake servers, a proxy through chaos, and servers that face misbehaving fake clients.
 */
@API(status = INTERNAL, since = "0.1")
public class TutorialRules extends RuleSet {

    /** The tutorial's netstring transform server, as a protocol on the reactor under test. */
    static class TransformProtocol extends NetstringReceiver {
        final List<Throwable> lost = new ArrayList<>();

        @Override
        protected void stringReceived(byte[] payload) {
            String request = new String(payload, StandardCharsets.UTF_8);
            int dot = request.indexOf('.');
            String poem = dot < 0 ? "" : request.substring(dot + 1);
            sendString(Bytes.utf8(poem.toLowerCase(Locale.ROOT)));
            transport().loseConnection();
        }

        @Override
        public void connectionLost(Failure reason) {
            lost.add(reason.value());
        }
    }

    static byte[] netstring(String payload) {
        byte[] body = Bytes.utf8(payload);
        return Bytes.utf8(body.length + ":" + payload + ",");
    }

    @Rule(id = "TUT-01", capability = Capability.TCP, value = "a poetry client on the reactor gets exactly the poem the "
            + "slow server sends, a few bytes at a time, then ConnectionDone")
    @TrialTest
    Deferred<Void> aPoetryClientGetsThePoem(TrialContext test) throws IOException {
        String poem = Poems.named("science");
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        SlowPoetryServer server = FakeServers.slowPoetry(poem).numBytes(30).delay(Duration.ofMillis(2)).start();
        test.addCleanup(server::close);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(Net.LOOPBACK, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.lost);
        }).addVoidCallback(reason -> {
            assertThat(client.protocols.get(0).text()).as("the poem the client got").isEqualTo(poem);
            assertThat(reason).as("the reason connectionLost was given when the server closed cleanly")
                    .isInstanceOf(ConnectionDone.class);
            assertThat(client.protocols.get(0).reads).as("dataReceived calls").isGreaterThan(1);
        });
    }

    @Rule(id = "TUT-02", capability = Capability.TCP, value = "a transform client on the reactor sends a netstring "
            + "request and gets the transformed poem back from the transform server")
    @TrialTest
    Deferred<Void> aTransformClientGetsTheTransformedPoem(TrialContext test) throws IOException {
        String poem = Poems.named("alla-sera");
        List<String> replies = new ArrayList<>();
        TransformServer server = FakeServers.transform().start();
        test.addCleanup(server::close);
        return Rut.start(test, reactor -> {
            Deferred<Void> done = new Deferred<>();
            reactor.connectTCP(Net.LOOPBACK, server.port(), new ClientFactory() {
                @Override
                public Protocol buildProtocol(dev.twine.reactor.Address address) {
                    return new NetstringReceiver() {
                        @Override
                        public void connectionMade() {
                            sendString(Bytes.utf8("cummingsify." + poem));
                        }

                        @Override
                        protected void stringReceived(byte[] payload) {
                            replies.add(new String(payload, StandardCharsets.UTF_8));
                        }

                        @Override
                        public void connectionLost(Failure reason) {
                            done.callback(null);
                        }
                    };
                }
            });
            return done;
        }).addVoidCallback(ignored -> {
            assertThat(replies).as("the transformed poems the client got").containsExactly(poem.toLowerCase(Locale.ROOT));
        });
    }

    /** A proxy in the tutorial's way: each client gets the poem it fetches from {@code upstream} for it. */
    static ListeningPort proxy(Reactor reactor, int upstream) {
        return reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                Protocol client = this;
                RecordingClientFactory<Recorder> fetch = new RecordingClientFactory<>(Recorder::new);
                reactor.connectTCP(Net.LOOPBACK, upstream, fetch);
                fetch.built.addDeferredCallback(protocol -> protocol.lost.addVoidCallback(reason -> {
                    client.transport().write(protocol.received.toByteArray());
                    client.transport().loseConnection();
                }));
                fetch.failed.addVoidCallback(reason -> {
                    client.transport().abortConnection();
                });
            }
        }), 50, Net.LOOPBACK);
    }

    @Rule(id = "TUT-03", capability = Capability.TCP, value = "a proxy on the reactor serves 20 clients at once through "
            + "chaos (poems sliced and delayed on the way in): every client gets its own poem, none lost or mixed")
    @TrialTest
    Deferred<Void> aProxyServesManyClientsThroughChaos(TrialContext test) throws IOException {
        String sonnet = Poems.named("sonnet-18");
        String science = Poems.named("science");
        SlowPoetryServer poetA = FakeServers.slowPoetry(sonnet).numBytes(100).delay(Duration.ofMillis(2)).start();
        test.addCleanup(poetA::close);
        SlowPoetryServer poetB = FakeServers.slowPoetry(science).numBytes(100).delay(Duration.ofMillis(2)).start();
        test.addCleanup(poetB::close);
        ChaosServer chaosA = FakeServers.chaos(poetA).slice(7, Duration.ofMillis(1)).start();
        test.addCleanup(chaosA::close);
        ChaosServer chaosB = FakeServers.chaos(poetB).latency(Duration.ofMillis(3)).slice(50, Duration.ZERO).start();
        test.addCleanup(chaosB::close);
        return Rut.start(test, reactor -> {
            ListeningPort proxyA = proxy(reactor, chaosA.port());
            ListeningPort proxyB = proxy(reactor, chaosB.port());
            List<Deferred<ClientRecord>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int port = Net.port(i % 2 == 0 ? proxyA : proxyB);
                clients.add(Poll.future(reactor, FakeClient.to(Net.LOOPBACK, port).start().finished()));
            }
            return DeferredList.gatherResults(clients);
        }).addVoidCallback(records -> {
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i).receivedText()).as("the poem client %d got from the proxy, which wrote it "
                        + "and then called loseConnection", i).isEqualTo(i % 2 == 0 ? sonnet : science);
            }
        });
    }

    @Rule(id = "TUT-04", capability = Capability.TCP, value = "a netstring server on the reactor answers a request sent "
            + "one byte at a time")
    @TrialTest
    Deferred<Void> aServerAnswersARequestSentInOneByteSlices(TrialContext test) {
        byte[] request = netstring("cummingsify.AN UPPER-CASE POEM");
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(TransformProtocol::new), 50, Net.LOOPBACK);
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                    .sendSliced(request, 1, Duration.ofMillis(1)).start().finished());
        }).addVoidCallback(seen -> {
            assertThat(seen.receivedText()).as("the answer the client read, which the server wrote just before "
                    + "loseConnection").isEqualTo("18:an upper-case poem,");
        });
    }

    @Rule(id = "TUT-05", capability = Capability.TCP, value = "a server on the reactor survives a client that resets "
            + "halfway through a request: that connection is lost with ConnectionLost, and the next client is served")
    @TrialTest
    Deferred<Void> aServerSurvivesAResettingClient(TrialContext test) {
        List<TransformProtocol> served = new ArrayList<>();
        java.util.concurrent.CompletableFuture<Void> heard = new java.util.concurrent.CompletableFuture<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, address -> {
                TransformProtocol p = new TransformProtocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                        super.dataReceived(data);
                        heard.complete(null);
                    }
                };
                served.add(p);
                return p;
            }, 50, Net.LOOPBACK);
            // A plain socket, so that it resets only once the server has half a request from it.
            java.util.concurrent.CompletableFuture<Void> resetter = dev.twine.conformance.harness.Peer.run("resetter", () -> {
                try (java.net.Socket socket = new java.net.Socket(Net.LOOPBACK, Net.port(port))) {
                    socket.getOutputStream().write(Bytes.utf8("30:cummingsify.half"));
                    heard.get(20, java.util.concurrent.TimeUnit.SECONDS);
                    socket.setSoLinger(true, 0); // close with a reset
                }
                return null;
            });
            return Poll.future(reactor, resetter)
                    .addDeferredCallback(first -> Poll.until(reactor, () -> !served.get(0).lost.isEmpty()))
                    .addDeferredCallback(ignored -> Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                            .send(netstring("cummingsify.WHOLE")).start().finished()));
        }).addVoidCallback(next -> {
            assertThat(served.get(0).lost).as("the reasons the reset connection was lost with").singleElement()
                    .isInstanceOf(ConnectionLost.class).isNotInstanceOf(ConnectionDone.class);
            assertThat(next.receivedText()).as("the answer the next client read, written just before loseConnection")
                    .isEqualTo("5:whole,");
        });
    }

    @Rule(id = "TUT-06", capability = Capability.TCP, value = "a poetry server on the reactor keeps serving while one "
            + "client never reads its large poem")
    @TrialTest
    Deferred<Void> aServerServesOthersWhileOneNeverReads(TrialContext test) {
        String poem = Poems.named("sonnet-18");
        byte[] epic = Bytes.utf8(poem.repeat(6000)); // about 4 MB
        List<Protocol> servedProtocols = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, address -> new Protocol() {
                @Override
                public void connectionMade() {
                    servedProtocols.add(this);
                    transport().write(servedProtocols.size() == 1 ? epic : Bytes.utf8(poem));
                    transport().loseConnection();
                }
            }, 50, Net.LOOPBACK);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).neverRead().timeout(Duration.ofSeconds(20)).start();
            return Poll.until(reactor, () -> servedProtocols.size() == 1).addDeferredCallback(ignored -> {
                List<Deferred<ClientRecord>> others = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    others.add(Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).start().finished()));
                }
                return DeferredList.gatherResults(others);
            }).addCallback(records -> {
                servedProtocols.get(0).transport().abortConnection();
                return records;
            });
        }).addVoidCallback(readers -> {
            assertThat(readers).hasSize(5).allSatisfy(record -> assertThat(record.receivedText())
                    .as("the poem a reader got, written just before loseConnection").isEqualTo(poem));
        });
    }

    @Rule(id = "TUT-07", capability = Capability.TCP, value = "a malformed netstring closes only that connection, with "
            + "the parse error as its reason, and the server goes on")
    @TrialTest
    Deferred<Void> aMalformedFrameClosesOnlyItsConnection(TrialContext test) {
        List<TransformProtocol> served = new ArrayList<>();
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, address -> {
                TransformProtocol p = new TransformProtocol();
                served.add(p);
                return p;
            }, 50, Net.LOOPBACK);
            return Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port)).send("99999999999:").start().finished())
                    .addDeferredCallback(bad -> Poll.future(reactor, FakeClient.to(Net.LOOPBACK, Net.port(port))
                            .send(netstring("cummingsify.FINE")).start().finished()).addCallback(good -> List.of(bad, good)));
        }).addVoidCallback(clients -> {
            assertThat(served.get(0).lost).as("the reasons the malformed connection was lost with").singleElement()
                    .isInstanceOf(NetstringParseException.class);
            assertThat(clients.get(0).bytesReceived()).as("bytes sent back to the malformed request").isZero();
            assertThat(clients.get(1).receivedText()).as("the answer the next client read, written just before "
                    + "loseConnection").isEqualTo("4:fine,");
        });
    }
}
