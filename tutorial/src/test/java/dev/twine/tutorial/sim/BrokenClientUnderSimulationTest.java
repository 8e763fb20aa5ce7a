package dev.twine.tutorial.sim;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.Protocol;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.Reactor;
import dev.twine.sim.Simulated;
import dev.twine.sim.Simulation;
import dev.twine.sim.SimulationFailure;
import dev.twine.trial.SetUp;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.poetry.PoetryProtocol;
import dev.twine.tutorial.poetry.TransformClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The showcase catches a broken client 8.0, one that takes the end of the connection for the end of
 * the poem whatever the reason (as the Twisted original does): a reset in the middle of a poem gives
 * it a partial poem, which it prints as the poem. The seed loop finds such a seed, and the seed it
 * prints replays the failure.
 */
class BrokenClientUnderSimulationTest {

    /** Client 8.0 with the broken download: any end of the connection ends the poem. */
    static Deferred<Void> brokenClient8(Reactor reactor, HostPort transformServer, List<HostPort> addresses,
            Duration timeout, Console console) {
        List<Deferred<String>> poems = new ArrayList<>();
        for (HostPort address : addresses) {
            Deferred<String> poem = inlineCallbacks(() -> {
                String text;
                try {
                    text = await(partialPoemsWelcome(reactor, address).addTimeout(timeout, reactor));
                } catch (Exception e) {
                    console.errln("The poem download failed: " + e.getMessage());
                    throw e;
                }
                try {
                    text = await(TransformClient.transform(reactor, transformServer, "cummingsify", text));
                } catch (Exception e) {
                    console.errln("Cummingsify failed! " + e.getMessage());
                }
                return text;
            });
            poems.add(poem.addCallback(text -> {
                console.println(text);
                return text;
            }));
        }
        return DeferredList.of(poems, DeferredList.Option.CONSUME_ERRORS).addCallback(results -> null);
    }

    /** The bug: whatever arrived when the connection ended, however it ended, is the poem. */
    static Deferred<String> partialPoemsWelcome(Reactor reactor, HostPort address) {
        Protocol[] protocol = new Protocol[1];
        Deferred<String> poem = new Deferred<>(self -> {
            if (protocol[0] != null && protocol[0].transport() != null) {
                protocol[0].transport().abortConnection();
            }
        });
        reactor.connectTCP(address.host(), address.port(), new ClientFactory() {
            @Override
            public Protocol buildProtocol(Address peer) {
                protocol[0] = new PoetryProtocol(data -> { }, (text, reason) -> {
                    if (!poem.isCalled()) {
                        poem.callback(text); // ignores the reason: a reset mid-poem "ends" it
                    }
                });
                return protocol[0];
            }

            @Override
            public void clientConnectionFailed(Connector connector, Failure reason) {
                if (!poem.isCalled()) {
                    poem.errback(reason);
                }
            }
        });
        return poem;
    }

    /**
     * The showcase with the broken client; run only through EngineTestKit below (Surefire leaves
     * nested classes alone). Anything else that finds it ({@code ./twine trial --tutorial} runs every
     * trial test it finds) skips it: it is meant to fail.
     */
    public static class BrokenShowcase {
        /** The configuration key the tests below set to run the showcase. */
        static final String RUN_IT = "twine.tutorial.brokenShowcase";

        @SetUp
        void onlyWhenRunOnPurpose(TrialContext test) {
            if (test.configurationParameter(RUN_IT).isEmpty()) {
                throw new SkipTest("an example meant to fail: BrokenClientUnderSimulationTest runs it on purpose");
            }
        }

        @TrialTest
        @Simulated(runs = 1000)
        void everyPoemArrivesExactlyOrFailsClearlyAndNoneTwice(Simulation seed) {
            TutorialUnderSimulationTest.fetchThePoems(seed, BrokenClientUnderSimulationTest::brokenClient8);
        }
    }

    private static SimulationFailure theFailure(Map<String, String> parameters) {
        EngineExecutionResults results = EngineTestKit.engine("twine-trial").configurationParameters(parameters)
                .configurationParameter(BrokenShowcase.RUN_IT, "true").selectors(selectClass(BrokenShowcase.class)).execute();
        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).as("the seed loop stops at the first failing seed").hasSize(1);
        Throwable thrown = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(thrown).isInstanceOf(SimulationFailure.class);
        return (SimulationFailure) thrown;
    }

    @Test
    void foundByAnythingElseTheShowcaseIsSkippedNotFailed() {
        EngineExecutionResults results = EngineTestKit.engine("twine-trial").selectors(selectClass(BrokenShowcase.class))
                .execute();
        assertThat(results.testEvents().failed().count()).as("failed").isZero();
        assertThat(results.testEvents().skipped().count() + results.testEvents().aborted().count()).as("skipped")
                .isPositive();
    }

    @Test
    void theSeedLoopCatchesTheBrokenClientAndItsSeedReplaysTheFailure() {
        SimulationFailure caught = theFailure(Map.of("twine.sim.runs", "1000"));
        System.out.println("The broken client 8.0 under the showcase:\n" + caught.getMessage());
        assertThat(caught.getMessage()).startsWith("simulation seed=" + caught.seed() + " faults=[")
                .contains("a poem arrived that is not a poem")
                .contains("-Dtwine.sim.seed=" + caught.seed());

        SimulationFailure replayed = theFailure(Map.of("twine.sim.seed", Long.toString(caught.seed())));
        assertThat(replayed.seed()).isEqualTo(caught.seed());
        assertThat(replayed.getMessage()).as("the printed seed replays the same run").isEqualTo(caught.getMessage());
    }
}
