package dev.twine.conformance.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
import dev.twine.conformance.harness.Poll;
import dev.twine.conformance.harness.Recorder;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.fakes.ClientRecord;
import dev.twine.fakes.Ending;
import dev.twine.fakes.FakeClient;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorAlreadyRunningException;
import dev.twine.reactor.ReactorNotRestartableException;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.reactor.TriggerHandle;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Running and stopping, and system events: Twisted's test_core. */
public class CoreRules extends RuleSet {

    private static List<String> events() {
        return new ArrayList<>();
    }

    @Rule(id = "CORE-01", capability = Capability.CORE, value = "run() makes the calling thread the reactor thread: "
            + "callWhenRunning calls run on it, isRunning() is true there, and false once run() has returned")
    @TrialTest
    void runMakesTheCallingThreadTheReactorThread(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<Object> seen = new ArrayList<>();
        reactor.callWhenRunning(() -> {
            seen.add(Thread.currentThread());
            seen.add("running: " + reactor.isRunning());
            reactor.stop();
        });
        assertThat(reactor.isRunning()).as("isRunning() before run()").isFalse();
        assertThat(Rut.runGuarded(test, reactor)).as("had to be crashed").isFalse();
        assertThat(seen).as("the thread callWhenRunning ran on, then isRunning()").containsExactly(Rut.lastRunThread(),
                "running: true");
        assertThat(reactor.isRunning()).as("isRunning() after run() returned").isFalse();
    }

    @Rule(id = "CORE-02", capability = Capability.CORE, value = "callWhenRunning calls made before run() run once it "
            + "is running, in the order they were added; one made while it runs runs at once")
    @TrialTest
    void callWhenRunningRunsInOrderOnceRunning(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        reactor.callWhenRunning(() -> seen.add("first"));
        reactor.callWhenRunning(() -> seen.add("second"));
        reactor.callWhenRunning(() -> {
            seen.add("third");
            reactor.callWhenRunning(() -> seen.add("at once"));
            seen.add("after the at-once call");
            reactor.stop();
        });
        assertThat(seen).as("calls that ran before run()").isEmpty();
        Rut.runGuarded(test, reactor);
        assertThat(seen).containsExactly("first", "second", "third", "at once", "after the at-once call");
    }

    @Rule(id = "CORE-03", capability = Capability.CORE, value = "stop() on a reactor that is not running throws "
            + "ReactorNotRunningException")
    @TrialTest
    void stopWhenNotRunningIsRefused(TrialContext test) {
        Reactor reactor = Rut.build(test);
        try {
            assertThatThrownBy(reactor::stop).isInstanceOf(ReactorNotRunningException.class);
        } finally {
            Rut.dispose(reactor);
        }
    }

    @Rule(id = "CORE-04", capability = Capability.CORE, value = "a second stop() while the reactor is stopping throws "
            + "ReactorNotRunningException")
    @TrialTest
    void aSecondStopIsRefused(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<Throwable> second = new ArrayList<>();
        reactor.callWhenRunning(() -> {
            reactor.stop();
            try {
                reactor.stop();
            } catch (Throwable e) {
                second.add(e);
            }
        });
        Rut.runGuarded(test, reactor);
        assertThat(second).singleElement().isInstanceOf(ReactorNotRunningException.class);
    }

    @Rule(id = "CORE-05", capability = Capability.CORE, value = "run() on a reactor that has stopped throws "
            + "ReactorNotRestartableException")
    @TrialTest
    void aStoppedReactorCannotRunAgain(TrialContext test) {
        Reactor reactor = Rut.build(test);
        reactor.callWhenRunning(reactor::stop);
        Rut.runGuarded(test, reactor);
        assertThatThrownBy(reactor::run).isInstanceOf(ReactorNotRestartableException.class);
    }

    @Rule(id = "CORE-06", capability = Capability.CORE, value = "run() on a running reactor throws "
            + "ReactorAlreadyRunningException")
    @TrialTest
    void runWhileRunningIsRefused(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<Throwable> errors = new ArrayList<>();
        reactor.callWhenRunning(() -> {
            try {
                reactor.run();
            } catch (Throwable e) {
                errors.add(e);
            }
            reactor.stop();
        });
        Rut.runGuarded(test, reactor);
        assertThat(errors).singleElement().isInstanceOf(ReactorAlreadyRunningException.class);
    }

    @Rule(id = "CORE-07", capability = Capability.CORE, value = "startup fires its before triggers (not yet running), "
            + "then its during triggers, then its after triggers and the callWhenRunning calls in the order they were added")
    @TrialTest
    void startupTriggersRunPhaseByPhase(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        reactor.addSystemEventTrigger(Phase.AFTER, Reactor.STARTUP, () -> {
            seen.add("after 1");
            return null;
        });
        reactor.callWhenRunning(() -> seen.add("callWhenRunning"));
        reactor.addSystemEventTrigger(Phase.DURING, Reactor.STARTUP, () -> {
            seen.add("during");
            return null;
        });
        reactor.addSystemEventTrigger(Phase.BEFORE, Reactor.STARTUP, () -> {
            seen.add("before (running=" + reactor.isRunning() + ")");
            return null;
        });
        reactor.addSystemEventTrigger(Phase.AFTER, Reactor.STARTUP, () -> {
            seen.add("after 2");
            reactor.stop();
            return null;
        });
        Rut.runGuarded(test, reactor);
        assertThat(seen).containsExactly("before (running=false)", "during", "after 1", "callWhenRunning", "after 2");
    }

    @Rule(id = "CORE-08", capability = Capability.CORE, value = "stop() fires shutdown's before, during and after "
            + "triggers in that order, all before run() returns")
    @TrialTest
    void shutdownTriggersRunBeforeRunReturns(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        for (Phase phase : new Phase[] {Phase.AFTER, Phase.DURING, Phase.BEFORE}) {
            reactor.addSystemEventTrigger(phase, Reactor.SHUTDOWN, () -> {
                seen.add(phase.name().toLowerCase(java.util.Locale.ROOT));
                return null;
            });
        }
        reactor.callWhenRunning(reactor::stop);
        Rut.runGuarded(test, reactor);
        seen.add("run() returned");
        assertThat(seen).containsExactly("before", "during", "after", "run() returned");
    }

    @Rule(id = "CORE-09", capability = Capability.CORE, value = "a before-shutdown trigger that returns a Deferred holds "
            + "the rest of shutdown until it fires, and the loop keeps running meanwhile")
    @TrialTest
    void aShutdownTriggersDeferredHoldsShutdown(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        Deferred<Void> cleanup = new Deferred<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, Reactor.SHUTDOWN, () -> cleanup);
        reactor.addSystemEventTrigger(Phase.DURING, Reactor.SHUTDOWN, () -> {
            seen.add("during shutdown");
            return null;
        });
        reactor.callWhenRunning(() -> {
            reactor.stop();
            reactor.callLater(Duration.ofMillis(20), () -> {
                seen.add("a delayed call while shutdown waits");
                cleanup.callback(null);
            });
        });
        assertThat(Rut.runGuarded(test, reactor)).as("had to be crashed: shutdown never finished").isFalse();
        assertThat(seen).containsExactly("a delayed call while shutdown waits", "during shutdown");
    }

    @Rule(id = "CORE-10", capability = Capability.CORE, value = "a shutdown trigger that throws is logged, and the "
            + "other triggers still run")
    @TrialTest
    void aFailingShutdownTriggerIsLoggedAndTheOthersRun(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        reactor.addSystemEventTrigger(Phase.BEFORE, Reactor.SHUTDOWN, () -> {
            throw new IllegalStateException("a trigger that fails");
        });
        reactor.addSystemEventTrigger(Phase.BEFORE, Reactor.SHUTDOWN, () -> {
            seen.add("the next before trigger");
            return null;
        });
        reactor.addSystemEventTrigger(Phase.AFTER, Reactor.SHUTDOWN, () -> {
            seen.add("after");
            return null;
        });
        reactor.callWhenRunning(reactor::stop);
        Rut.runGuarded(test, reactor);
        assertThat(seen).containsExactly("the next before trigger", "after");
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }

    @Rule(id = "CORE-11", capability = Capability.CORE, value = "a removed system event trigger does not run, and "
            + "removing it again throws IllegalArgumentException")
    @TrialTest
    void aRemovedTriggerDoesNotRun(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        TriggerHandle handle = reactor.addSystemEventTrigger(Phase.AFTER, Reactor.STARTUP, () -> {
            seen.add("the removed trigger ran");
            return null;
        });
        reactor.removeSystemEventTrigger(handle);
        reactor.callWhenRunning(reactor::stop);
        Rut.runGuarded(test, reactor);
        assertThat(seen).isEmpty();
        assertThatThrownBy(() -> reactor.removeSystemEventTrigger(handle)).isInstanceOf(IllegalArgumentException.class);
    }

    @Rule(id = "CORE-12", capability = Capability.CORE, value = "crash() stops the loop at once without shutdown "
            + "triggers, and the reactor can run again")
    @TrialTest
    void crashSkipsShutdownAndAllowsAnotherRun(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        reactor.addSystemEventTrigger(Phase.BEFORE, Reactor.SHUTDOWN, () -> {
            seen.add("shutdown trigger");
            return null;
        });
        reactor.callLater(Duration.ZERO, () -> {
            seen.add("first run");
            reactor.crash();
        });
        Rut.runGuarded(test, reactor);
        seen.add("run() returned");
        reactor.callLater(Duration.ZERO, () -> {
            seen.add("second run");
            reactor.stop();
        });
        Rut.runGuarded(test, reactor);
        assertThat(seen).containsExactly("first run", "run() returned", "second run", "shutdown trigger");
    }

    @Rule(id = "CORE-13", capability = Capability.CORE, value = "iterate() runs delayed calls that are due and calls "
            + "from other threads without run(), and returns")
    @TrialTest
    void iterateRunsWhatIsDue(TrialContext test) {
        Reactor reactor = Rut.build(test);
        try {
            List<String> seen = new CopyOnWriteArrayList<>();
            reactor.callLater(Duration.ZERO, () -> seen.add("due"));
            reactor.callLater(Duration.ofHours(1), () -> seen.add("not due"));
            reactor.callFromThread(() -> seen.add("from a thread"));
            for (int i = 0; i < 3 && seen.size() < 2; i++) {
                reactor.iterate(Duration.ofMillis(50));
            }
            assertThat(seen).containsExactlyInAnyOrder("due", "from a thread");
            assertThat(reactor.isRunning()).as("isRunning() while iterating").isFalse();
        } finally {
            Rut.dispose(reactor);
        }
    }

    @Rule(id = "CORE-14", capability = Capability.CORE, value = "iterate(maxWait) with nothing to do returns after "
            + "about maxWait, not never")
    @TrialTest
    void iterateReturnsWhenNothingHappens(TrialContext test) {
        Reactor reactor = Rut.build(test);
        try {
            long start = System.nanoTime();
            reactor.iterate(Duration.ofMillis(50));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(seconds).as("seconds iterate(50 ms) took").isLessThan(5.0);
        } finally {
            Rut.dispose(reactor);
        }
    }

    @Rule(id = "CORE-15", capability = Capability.CORE, value = "fireSystemEvent runs an application event's before, "
            + "during and after triggers in that order")
    @TrialTest
    void applicationEventsRunPhaseByPhase(TrialContext test) {
        List<String> seen = Rut.run(test, reactor -> {
            List<String> order = events();
            for (Phase phase : new Phase[] {Phase.DURING, Phase.AFTER, Phase.BEFORE}) {
                reactor.addSystemEventTrigger(phase, "reload", () -> {
                    order.add(phase.name().toLowerCase(java.util.Locale.ROOT));
                    return null;
                });
            }
            reactor.fireSystemEvent("reload");
            return Poll.until(reactor, () -> order.size() == 3).addCallback(ignored -> order);
        });
        assertThat(seen).containsExactly("before", "during", "after");
    }

    @Rule(id = "CORE-16", capability = Capability.CORE, value = "several reactors run at once in one JVM, each calling "
            + "back only on its own thread")
    @TrialTest
    void manyReactorsRunAtOnce(TrialContext test) throws Exception {
        int count = 3;
        List<CompletableFuture<List<String>>> runs = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            int id = r;
            Reactor reactor = Rut.build(test);
            runs.add(dev.twine.conformance.harness.Peer.run("reactor-" + r, () -> {
                List<String> seen = new ArrayList<>();
                Thread[] loop = new Thread[1];
                reactor.callWhenRunning(() -> loop[0] = Thread.currentThread());
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    reactor.callLater(Duration.ofMillis(i % 4), () -> seen.add(
                            Thread.currentThread() == loop[0] ? id + ":" + n : "wrong thread"));
                }
                reactor.callLater(Duration.ofMillis(30), reactor::stop);
                Rut.runGuarded(test, reactor);
                return seen;
            }));
        }
        for (int r = 0; r < count; r++) {
            List<String> seen = runs.get(r).get(java.util.concurrent.TimeUnit.SECONDS.toMillis(20),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            String prefix = r + ":";
            assertThat(seen).as("reactor %d", r).hasSize(20).allMatch(s -> s.startsWith(prefix));
        }
    }

    @Rule(id = "CORE-17", capability = Capability.CORE, value = "an exception thrown by a callWhenRunning call is logged "
            + "and the reactor goes on")
    @TrialTest
    void aFailingStartupCallIsLogged(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        reactor.callWhenRunning(() -> {
            throw new IllegalStateException("a call that fails");
        });
        reactor.callWhenRunning(() -> seen.add("the next call"));
        reactor.callLater(Duration.ofMillis(5), () -> {
            seen.add("a delayed call");
            reactor.stop();
        });
        Rut.runGuarded(test, reactor);
        assertThat(seen).containsExactly("the next call", "a delayed call");
        assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
    }

    @Rule(id = "CORE-18", capability = Capability.CORE, value = "stop() closes every listening port and connection "
            + "before run() returns; their protocols hear connectionLost")
    @TrialTest
    void stopClosesEverything(TrialContext test) throws IOException {
        Reactor reactor = Rut.build(test);
        List<Recorder> accepted = new ArrayList<>();
        ListeningPort[] port = new ListeningPort[1];
        FakeClient[] client = new FakeClient[1];
        reactor.callWhenRunning(() -> {
            port[0] = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> {
                Recorder r = new Recorder();
                accepted.add(r);
                return r;
            }), 50, "127.0.0.1");
            client[0] = FakeClient.to("127.0.0.1", Net.port(port[0])).start();
            Poll.until(reactor, () -> !accepted.isEmpty() && accepted.get(0).connected.isCalled())
                    .addCallback(ignored -> {
                        reactor.stop();
                        return null;
                    });
        });
        Rut.runGuarded(test, reactor);
        assertThat(accepted).as("connections accepted").hasSize(1);
        Recorder server = accepted.get(0);
        assertThat(server.lostCalls).as("connectionLost calls on the server's protocol").isEqualTo(1);
        ClientRecord seen = client[0].await(Duration.ofSeconds(10));
        assertThat(seen.ending()).as("how the client's connection ended").isIn(Ending.CLOSED_BY_PEER, Ending.RESET_BY_PEER);
        try (Socket refused = new Socket()) {
            assertThatThrownBy(() -> refused.connect(new InetSocketAddress("127.0.0.1", Net.port(port[0])), 2000))
                    .as("connecting to the port after stop()").isInstanceOf(IOException.class);
        }
    }
}
