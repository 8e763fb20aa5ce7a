package dev.twine.testing;

import static dev.twine.testing.Fired.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.IPv4Address;
import org.junit.jupiter.api.Test;

class RecordingFactoriesTest {
    private static final Address PEER = new IPv4Address("TCP", "127.0.0.1", 4000);

    @Test
    void theClientFactoryRecordsACompleteConnectionAsAReactorDrivesIt() {
        MemoryReactor reactor = new MemoryReactor();
        RecordingClientFactory<Recorder> factory = new RecordingClientFactory<>(Recorder::new);
        // What a reactor does with a connection that is made, used and closed (MemoryReactor
        // itself calls startedConnecting; the rest is done here as a reactor would):
        factory.doStart();
        Connector connector = reactor.connectTCP("127.0.0.1", 4000, factory);
        Recorder client = (Recorder) factory.buildProtocol(PEER);
        LoopbackPump pump = LoopbackPump.connect(new Echo(), client);
        client.send("hi");
        pump.flush();
        client.transport().loseConnection();
        pump.flush();
        factory.clientConnectionLost(connector, new Failure(new ConnectionDone()));
        factory.doStop();

        assertThat(factory.events).containsExactly("doStart", "startedConnecting", "buildProtocol",
                "clientConnectionLost:ConnectionDone", "doStop");
        assertThat(outcome(factory.built)).isSameAs(client);
        assertThat(factory.protocols).containsExactly(client);
        assertThat(factory.builtFor).isEqualTo(PEER);
        assertThat(outcome(factory.lost)).isInstanceOf(ConnectionDone.class);
        assertThat(factory.failed.isCalled()).isFalse();
        assertThat(client.text()).isEqualTo("hi");
        assertThat(factory.callbacks.count()).isEqualTo(5);
    }

    @Test
    void theClientFactoryFiresFailedOnceAndBuiltForTheFirstProtocolOnly() {
        RecordingClientFactory<Protocol> factory = new RecordingClientFactory<>(() -> new Protocol() {
        });
        Protocol first = factory.buildProtocol(PEER);
        Protocol second = factory.buildProtocol(PEER);
        factory.clientConnectionFailed(null, new Failure(new ConnectionRefusedException(new java.net.ConnectException("refused"))));
        factory.clientConnectionFailed(null, new Failure(new ConnectionDone()));
        assertThat(outcome(factory.built)).isSameAs(first);
        assertThat(factory.protocols).containsExactly(first, second);
        assertThat(outcome(factory.failed)).isInstanceOf(ConnectionRefusedException.class);
        assertThat(factory.events).endsWith("clientConnectionFailed:ConnectionRefusedException",
                "clientConnectionFailed:ConnectionDone");
    }

    @Test
    void theServerFactoryKeepsItsProtocolsAndFiresFirstConnectedAfterConnectionMade() {
        MemoryReactor reactor = new MemoryReactor();
        RecordingServerFactory<Recorder> factory = new RecordingServerFactory<>(Recorder::new);
        reactor.listenTCP(0, factory, 50, "127.0.0.1");
        factory.doStart();
        Deferred<Recorder> connected = factory.firstConnected();
        Recorder server = (Recorder) factory.buildProtocol(PEER);
        assertThat(outcome(connected)).as("built but not yet connected").isEqualTo(Fired.NOT_FIRED);
        LoopbackPump.connect(server, new Recorder());
        assertThat(outcome(connected)).isSameAs(server);
        Recorder another = (Recorder) factory.buildProtocol(new IPv4Address("TCP", "127.0.0.1", 4001));
        factory.doStop();

        assertThat(factory.protocols).containsExactly(server, another);
        assertThat(factory.addresses).containsExactly(PEER, new IPv4Address("TCP", "127.0.0.1", 4001));
        assertThat(factory.starts).isEqualTo(1);
        assertThat(factory.stops).isEqualTo(1);
        assertThat(factory.callbacks.elsewhere(Thread.currentThread())).isEmpty();
        assertThat(factory.callbacks.count()).isEqualTo(4);
    }

    @Test
    void theFactoriesRefuseMoreProtocolsThanTheirLimit() {
        RecordingServerFactory<Recorder> server = new RecordingServerFactory<>(Recorder::new);
        RecordingClientFactory<Recorder> client = new RecordingClientFactory<>(Recorder::new);
        for (int i = 0; i < RecordingServerFactory.MAX_PROTOCOLS; i++) {
            server.buildProtocol(PEER);
        }
        for (int i = 0; i < RecordingClientFactory.MAX_PROTOCOLS; i++) {
            client.buildProtocol(PEER);
        }
        assertThatThrownBy(() -> server.buildProtocol(PEER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at most " + RecordingServerFactory.MAX_PROTOCOLS + " protocols");
        assertThatThrownBy(() -> client.buildProtocol(PEER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at most " + RecordingClientFactory.MAX_PROTOCOLS + " protocols");
        assertThat(server.protocols).hasSize(RecordingServerFactory.MAX_PROTOCOLS);
    }
}
