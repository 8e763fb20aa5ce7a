package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.fakes.FakeClient;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.FastPoetryServer;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.Capability;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.testing.Echo;
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
import dev.twine.testing.RecordingClientFactory;
import dev.twine.testing.RecordingServerFactory;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import org.apiguardian.api.API;

/** TCP over IPv6, on the loopback address {@code ::1}. */
@API(status = INTERNAL, since = "0.1")
public class Ipv6Rules extends RuleSet {
    static final String LOOPBACK6 = "::1";

    @Rule(id = "IPV6-01", capability = Capability.IPV6, value = "listenTCP on ::1 listens, and getHost() gives a TCP "
            + "IPv6Address with host ::1")
    @TrialTest
    Deferred<Void> listenOnIpv6(TrialContext test) {
        return Rut.start(test, reactor -> Deferred.succeed(
                reactor.listenTCP(0, ProtocolFactory.forProtocol(Recorder::new), 50, LOOPBACK6).getHost()))
                .addVoidCallback(host -> {
                    assertThat(host).as("getHost() of a port on ::1").isInstanceOf(IPv6Address.class);
                    assertThat(((IPv6Address) host).type()).as("its type").isEqualTo("TCP");
                    assertThat(((IPv6Address) host).host()).as("its host").isEqualTo("::1");
                });
    }

    @Rule(id = "IPV6-02", capability = Capability.IPV6, value = "a server on ::1 serves an IPv6 client, and buildProtocol "
            + "is given its IPv6Address")
    @TrialTest
    Deferred<Void> serveOverIpv6(TrialContext test) {
        RecordingServerFactory<Echo> factory = new RecordingServerFactory<>(Echo::new);
        return Rut.start(test, reactor -> {
            ListeningPort port = reactor.listenTCP(0, factory, 50, LOOPBACK6);
            return Poll.future(reactor, FakeClient.to(LOOPBACK6, Net.port(port)).send("six").awaitReceived(3).close().start().finished());
        }).addVoidCallback(seen -> {
            assertThat(seen.receivedText()).as("what the IPv6 client had echoed").isEqualTo("six");
            assertThat(factory.addresses.get(0)).as("the address buildProtocol was given").isInstanceOf(IPv6Address.class);
        });
    }

    @Rule(id = "IPV6-03", capability = Capability.IPV6, value = "connectTCP to ::1 reaches an IPv6 server, and the "
            + "transport's getPeer() is an IPv6Address")
    @TrialTest
    Deferred<Void> connectOverIpv6(TrialContext test) throws java.io.IOException {
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        Address[] peer = new Address[1];
        FastPoetryServer server = FakeServers.fastPoetry("over six\n").iface(LOOPBACK6).start();
        test.addCleanup(server::close);
        return Rut.start(test, reactor -> {
            reactor.connectTCP(LOOPBACK6, server.port(), client);
            return client.built.addDeferredCallback(protocol -> protocol.connected).addDeferredCallback(protocol -> {
                peer[0] = protocol.transport().getPeer();
                return protocol.lost.addCallback(ignored -> protocol.text());
            });
        }).addVoidCallback(text -> {
            assertThat(text).as("what the IPv6 server sent").isEqualTo("over six\n");
            assertThat(peer[0]).as("the transport's getPeer()").isInstanceOf(IPv6Address.class);
            assertThat(Net.port(peer[0])).as("its port").isEqualTo(server.port());
        });
    }
}
