package dev.twine.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.fakes.ChaosServer;
import dev.twine.fakes.FakeServers;
import dev.twine.fakes.FastPoetryServer;
import dev.twine.protocol.ConnectionRefusedException;
import dev.twine.reactor.Reactor;
import dev.twine.trial.SetUp;
import dev.twine.trial.Trial;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import dev.twine.tutorial.poetry.Poetry;

/** The tutorial's own tests/test_poetry.py, on Twine: a server with a test poem, the client's poem checked exactly. */
class PoetryTest {
    static final String TEST_POEM = "This is a test.\nThis is only a test.\nIt has a non-ASCII character… in it.\n";

    private FastPoetryServer server;

    @SetUp
    void startTheServer(TrialContext test) {
        server = FakeServers.fastPoetry(TEST_POEM).start();
        test.addCleanup(server::close);
    }

    @TrialTest
    Deferred<Void> theClientGetsThePoem(Reactor reactor) {
        return Poetry.get(reactor, new HostPort("127.0.0.1", server.port())).addVoidCallback(poem -> {
            assertThat(poem).isEqualTo(TEST_POEM);
        });
    }

    @TrialTest
    Deferred<Poetry.IncompletePoemException> aConnectionResetMidPoemFailsInsteadOfGivingHalfAPoem(Reactor reactor,
            TrialContext test) {
        ChaosServer chaos = FakeServers.chaos(server).resetAfter(20).start();
        test.addCleanup(chaos::close);
        return Trial.assertFailure(Poetry.get(reactor, new HostPort("127.0.0.1", chaos.port())),
                Poetry.IncompletePoemException.class).addCallback(e -> {
                    assertThat(e.getMessage()).startsWith("the connection was lost after ");
                    return e;
                });
    }

    @TrialTest
    Deferred<Poetry.IncompletePoemException> aServerThatClosesWithoutAPoemFails(Reactor reactor, TrialContext test) {
        ChaosServer chaos = FakeServers.chaos(server).closeWithoutSending().start();
        test.addCleanup(chaos::close);
        return Trial.assertFailure(Poetry.get(reactor, new HostPort("127.0.0.1", chaos.port())),
                Poetry.IncompletePoemException.class).addCallback(e -> {
                    assertThat(e.getMessage()).isEqualTo("the server closed the connection without sending a poem");
                    return e;
                });
    }

    @TrialTest
    Deferred<ConnectionRefusedException> aServerThatIsNotThereFails(Reactor reactor) {
        return Trial.assertFailure(Poetry.get(reactor, new HostPort("127.0.0.1", FakeServers.closedPort())),
                ConnectionRefusedException.class);
    }
}
