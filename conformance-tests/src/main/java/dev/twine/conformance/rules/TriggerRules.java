package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Phase;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorNotRunningException;
import dev.twine.reactor.TriggerHandle;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * System event triggers as Twisted's three-phase events hold them (test_internet's
 * ThreePhaseEventTests and SystemEventTests, test_core's startup and shutdown tests): triggers
 * removed while their event fires, several asynchronous before triggers, triggers that throw, and
 * stop() met from inside shutdown.
 */
@API(status = INTERNAL, since = "0.1")
public class TriggerRules extends RuleSet {

    /** An application event of the rules' own, so that no trigger of the reactor's is involved. */
    static final String EVENT = "twine-conformance-event";

    private static TriggerHandle add(Reactor reactor, Phase phase, String event, List<String> seen, String name) {
        return reactor.addSystemEventTrigger(phase, event, () -> {
            seen.add(name);
            return null;
        });
    }

    @Rule(id = "CORE-20", capability = Capability.CORE, value = "a trigger that removes a later trigger of its own phase "
            + "while the event fires stops that one from running, and the triggers after it still run")
    @TrialTest
    Deferred<Void> removingAPendingTriggerWhileFiring(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            TriggerHandle[] victim = new TriggerHandle[1];
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT, () -> {
                seen.add("before 1 removes before 2");
                reactor.removeSystemEventTrigger(victim[0]);
                return null;
            });
            victim[0] = add(reactor, Phase.BEFORE, EVENT, seen, "before 2 (removed)");
            add(reactor, Phase.BEFORE, EVENT, seen, "before 3");
            add(reactor, Phase.DURING, EVENT, seen, "during");
            reactor.fireSystemEvent(EVENT);
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("the triggers that ran (a trigger removed by an earlier one of its phase must not run)")
                    .containsExactly("before 1 removes before 2", "before 3", "during");
        });
    }

    @Rule(id = "CORE-21", capability = Capability.CORE, value = "a trigger that removes triggers that have already run, "
            + "itself included, makes no later trigger of its phase be skipped or run twice")
    @TrialTest
    Deferred<Void> removingTriggersThatRanWhileFiring(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            TriggerHandle first = add(reactor, Phase.DURING, EVENT, seen, "during 1");
            TriggerHandle[] self = new TriggerHandle[1];
            self[0] = reactor.addSystemEventTrigger(Phase.DURING, EVENT, () -> {
                seen.add("during 2 removes during 1 and itself");
                reactor.removeSystemEventTrigger(first);
                reactor.removeSystemEventTrigger(self[0]);
                return null;
            });
            add(reactor, Phase.DURING, EVENT, seen, "during 3");
            add(reactor, Phase.DURING, EVENT, seen, "during 4");
            add(reactor, Phase.AFTER, EVENT, seen, "after");
            reactor.fireSystemEvent(EVENT);
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("the triggers that ran (removing triggers that already ran skipped or repeated a later one)")
                    .containsExactly("during 1", "during 2 removes during 1 and itself", "during 3", "during 4", "after");
        });
    }

    @Rule(id = "CORE-22", capability = Capability.CORE, value = "a before trigger that removes a during trigger of its "
            + "event stops it from running")
    @TrialTest
    Deferred<Void> aBeforeTriggerRemovesADuringTrigger(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            TriggerHandle[] during = new TriggerHandle[1];
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT, () -> {
                seen.add("before removes during");
                reactor.removeSystemEventTrigger(during[0]);
                return null;
            });
            during[0] = add(reactor, Phase.DURING, EVENT, seen, "during (removed)");
            add(reactor, Phase.AFTER, EVENT, seen, "after");
            reactor.fireSystemEvent(EVENT);
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("the triggers that ran (a during trigger removed by a before trigger must not run)")
                    .containsExactly("before removes during", "after");
        });
    }

    @Rule(id = "CORE-23", capability = Capability.CORE, value = "a during trigger removed while the event waits for a "
            + "before trigger's Deferred does not run when that Deferred fires")
    @TrialTest
    Deferred<Void> aDuringTriggerRemovedWhileWaiting(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            Deferred<Void> held = new Deferred<>();
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT, () -> held);
            TriggerHandle during = add(reactor, Phase.DURING, EVENT, seen, "during (removed while waiting)");
            add(reactor, Phase.AFTER, EVENT, seen, "after");
            reactor.fireSystemEvent(EVENT);
            seen.add("fired, waiting");
            reactor.removeSystemEventTrigger(during);
            Deferred<Void> done = new Deferred<>();
            reactor.callLater(Duration.ZERO, () -> {
                held.callback(null);
                done.callback(null);
            });
            return done;
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("the triggers that ran (a during trigger removed while the event waited ran anyway)")
                    .containsExactly("fired, waiting", "after");
        });
    }

    @Rule(id = "CORE-24", capability = Capability.CORE, value = "a during trigger that throws is logged, and the other "
            + "during triggers and the after triggers still run")
    @TrialTest
    Deferred<Void> aFailingDuringTriggerDoesNotStopTheRest(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            add(reactor, Phase.DURING, EVENT, seen, "during 1");
            reactor.addSystemEventTrigger(Phase.DURING, EVENT, () -> {
                throw new IllegalStateException("a during trigger that fails");
            });
            add(reactor, Phase.DURING, EVENT, seen, "during 3");
            add(reactor, Phase.AFTER, EVENT, seen, "after");
            reactor.fireSystemEvent(EVENT);
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("the triggers that ran (a failing during trigger stopped the rest)")
                    .containsExactly("during 1", "during 3", "after");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("the failing trigger's error, logged")
                    .hasSize(1);
        });
    }

    @Rule(id = "CORE-25", capability = Capability.CORE, value = "when several before triggers return Deferreds, the "
            + "during phase waits for every one of them")
    @TrialTest
    Deferred<Void> severalAsynchronousBeforeTriggers(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            List<Deferred<Void>> held = List.of(new Deferred<>(), new Deferred<>(), new Deferred<>());
            for (Deferred<Void> d : held) {
                reactor.addSystemEventTrigger(Phase.BEFORE, EVENT, () -> d);
            }
            add(reactor, Phase.DURING, EVENT, seen, "during");
            reactor.fireSystemEvent(EVENT);
            seen.add("fired");
            // Fire them out of order: neither the first nor the last alone may release the event.
            for (int i : new int[] {2, 0, 1}) {
                seen.add("before " + (i + 1) + " fires");
                held.get(i).callback(null);
            }
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what happened (the during phase ran before every before trigger's Deferred had fired)")
                    .containsExactly("fired", "before 3 fires", "before 1 fires", "before 2 fires", "during");
        });
    }

    @Rule(id = "CORE-26", capability = Capability.CORE, value = "a before trigger that fires an earlier before trigger's "
            + "Deferred does not start the during phase early: the later before triggers run and are waited for too")
    @TrialTest
    Deferred<Void> aBeforeTriggerFiresAnEarlierOnesDeferred(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            Deferred<Void> first = new Deferred<>();
            Deferred<Void> third = new Deferred<>();
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT, () -> first);
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT, () -> {
                seen.add("before 2 fires before 1's Deferred");
                first.callback(null);
                return null;
            });
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT, () -> {
                seen.add("before 3");
                return third;
            });
            add(reactor, Phase.DURING, EVENT, seen, "during");
            reactor.fireSystemEvent(EVENT);
            seen.add("before 3's Deferred fires");
            third.callback(null);
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what happened (the during phase did not wait for every before trigger)")
                    .containsExactly("before 2 fires before 1's Deferred", "before 3", "before 3's Deferred fires", "during");
        });
    }

    @Rule(id = "CORE-27", capability = Capability.CORE, value = "two events waiting for their before triggers' Deferreds "
            + "finish independently, each when its own Deferreds fire")
    @TrialTest
    Deferred<Void> eventsWaitIndependently(TrialContext test) {
        List<String> seen = new ArrayList<>();
        return Rut.start(test, reactor -> {
            Deferred<Void> one = new Deferred<>();
            Deferred<Void> two = new Deferred<>();
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT + "-1", () -> one);
            add(reactor, Phase.AFTER, EVENT + "-1", seen, "after event 1");
            reactor.addSystemEventTrigger(Phase.BEFORE, EVENT + "-2", () -> two);
            add(reactor, Phase.AFTER, EVENT + "-2", seen, "after event 2");
            reactor.fireSystemEvent(EVENT + "-1");
            reactor.fireSystemEvent(EVENT + "-2");
            seen.add("event 2's Deferred fires");
            two.callback(null);
            seen.add("event 1's Deferred fires");
            one.callback(null);
            return Deferred.succeed(null);
        }).addVoidCallback(ignored -> {
            assertThat(seen).as("what happened (one event's wait held up or released another)")
                    .containsExactly("event 2's Deferred fires", "after event 2", "event 1's Deferred fires", "after event 1");
        });
    }

    @Rule(id = "CORE-28", capability = Capability.CORE, value = "stop() runs no shutdown trigger inside the call: the "
            + "before-shutdown triggers run after the code that called stop() has returned")
    @TrialTest
    Deferred<Void> stopFiresShutdownLater(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        add(reactor, Phase.BEFORE, Reactor.SHUTDOWN, seen, "before shutdown");
        reactor.callWhenRunning(() -> {
            reactor.stop();
            seen.add("the caller of stop() goes on");
        });
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("had to be crashed: shutdown never finished").isFalse();
            assertThat(seen).as("what happened (stop() ran the shutdown triggers inside the call)")
                    .containsExactly("the caller of stop() goes on", "before shutdown");
        });
    }

    @Rule(id = "CORE-29", capability = Capability.CORE, value = "stop() called from a shutdown trigger throws "
            + "ReactorNotRunningException and does not start shutdown again: each shutdown trigger runs once")
    @TrialTest
    Deferred<Void> stopFromAShutdownTriggerDoesNotReenter(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        for (Phase phase : Phase.values()) {
            String name = phase.name().toLowerCase(java.util.Locale.ROOT);
            reactor.addSystemEventTrigger(phase, Reactor.SHUTDOWN, () -> {
                seen.add(name + " shutdown");
                try {
                    reactor.stop();
                    seen.add("stop() from the " + name + " trigger was accepted");
                } catch (ReactorNotRunningException expected) {
                    seen.add("refused");
                }
                return null;
            });
        }
        reactor.callWhenRunning(reactor::stop);
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(seen).as("what the shutdown triggers saw (stop() from a shutdown trigger re-entered shutdown or "
                    + "was accepted)").containsExactly("before shutdown", "refused", "during shutdown", "refused",
                    "after shutdown", "refused");
            assertThat(crashed).as("had to be crashed: shutdown never finished").isFalse();
        });
    }

    @Rule(id = "CORE-30", capability = Capability.CORE, value = "a before-startup trigger that returns a Deferred holds "
            + "startup until it fires, while the loop runs: callWhenRunning calls run only then")
    @TrialTest
    Deferred<Void> anAsynchronousStartupTriggerHoldsStartup(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, Reactor.STARTUP, () -> {
            seen.add("before startup");
            Deferred<Void> held = new Deferred<>();
            reactor.callLater(Duration.ZERO, () -> {
                seen.add("a delayed call fires it (running=" + reactor.isRunning() + ")");
                held.callback(null);
            });
            return held;
        });
        reactor.callWhenRunning(() -> {
            seen.add("callWhenRunning (running=" + reactor.isRunning() + ")");
            reactor.stop();
        });
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(seen).as("what happened (startup did not wait for the before trigger's Deferred)")
                    .containsExactly("before startup", "a delayed call fires it (running=false)", "callWhenRunning (running=true)");
            assertThat(crashed).as("had to be crashed: run() never stopped").isFalse();
        });
    }

    @Rule(id = "CORE-31", capability = Capability.CORE, value = "a during-shutdown trigger that throws is logged, and "
            + "the later shutdown triggers still run and run() returns")
    @TrialTest
    Deferred<Void> aFailingDuringShutdownTrigger(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        reactor.addSystemEventTrigger(Phase.DURING, Reactor.SHUTDOWN, () -> {
            throw new IllegalStateException("a during-shutdown trigger that fails");
        });
        add(reactor, Phase.DURING, Reactor.SHUTDOWN, seen, "the next during trigger");
        add(reactor, Phase.AFTER, Reactor.SHUTDOWN, seen, "after");
        reactor.callWhenRunning(reactor::stop);
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("had to be crashed: shutdown never finished").isFalse();
            assertThat(seen).as("the shutdown triggers that ran (a failing during trigger stopped the rest)")
                    .containsExactly("the next during trigger", "after");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("the failing trigger's error, logged")
                    .hasSize(1);
        });
    }

    @Rule(id = "CORE-32", capability = Capability.CORE, value = "at shutdown, a connection whose protocol's "
            + "connectionLost throws is logged, and every other connection still hears connectionLost")
    @TrialTest
    Deferred<Void> aFailingConnectionLostAtShutdownDoesNotStopTheOthers(TrialContext test) {
        Reactor reactor = Rut.build(test);
        int count = 3;
        List<dev.twine.testing.Recorder> servers = new CopyOnWriteArrayList<>();
        List<dev.twine.testing.Recorder> clients = new CopyOnWriteArrayList<>();
        reactor.callWhenRunning(() -> {
            dev.twine.reactor.ListeningPort port = TcpServerRules.listen(reactor,
                    dev.twine.protocol.ProtocolFactory.forProtocol(() -> {
                        dev.twine.testing.Recorder server = new dev.twine.testing.Recorder() {
                            @Override
                            public void connectionLost(dev.twine.defer.Failure reason) {
                                super.connectionLost(reason);
                                throw new IllegalStateException("a server protocol's connectionLost fails");
                            }
                        };
                        servers.add(server);
                        server.connected.addCallback(connected -> stopOnceAllAreConnected(reactor, servers, clients, count));
                        return server;
                    }));
            for (int i = 0; i < count; i++) {
                dev.twine.testing.RecordingClientFactory<dev.twine.testing.Recorder> client =
                        new dev.twine.testing.RecordingClientFactory<>(dev.twine.testing.Recorder::new);
                client.built.addVoidCallback(protocol -> {
                    clients.add(protocol);
                    protocol.connected.addCallback(connected -> stopOnceAllAreConnected(reactor, servers, clients, count));
                });
                reactor.connectTCP(dev.twine.conformance.harness.Net.LOOPBACK, dev.twine.conformance.harness.Net.port(port),
                        client);
            }
        });
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("had to be crashed: shutdown never finished").isFalse();
            assertThat(servers).as("server connections").hasSize(count);
            assertThat(servers).as("server protocols that heard connectionLost at shutdown (one whose connectionLost "
                    + "threw stopped the others)").allMatch(server -> server.lostCalls == 1);
            assertThat(clients).as("client protocols that heard connectionLost at shutdown (one whose connectionLost "
                    + "threw stopped the others)").hasSize(count).allMatch(client -> client.lostCalls == 1);
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged for the failing "
                    + "connectionLost calls").hasSize(count);
        });
    }

    /** Stops the reactor once {@code count} servers and as many clients have heard connectionMade. */
    private static Void stopOnceAllAreConnected(Reactor reactor, List<? extends dev.twine.testing.Recorder> servers,
            List<? extends dev.twine.testing.Recorder> clients, int count) {
        boolean all = servers.size() == count && clients.size() == count
                && servers.stream().allMatch(s -> s.connected.isCalled()) && clients.stream().allMatch(c -> c.connected.isCalled());
        if (all && reactor.isRunning()) {
            Rut.stop(reactor);
        }
        return null;
    }
}
