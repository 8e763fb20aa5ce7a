package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.Net;
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
import dev.twine.testing.Poll;
import dev.twine.testing.Recorder;
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
import org.apiguardian.api.API;

/** Running and stopping, and system events: Twisted's test_core. */
@API(status = INTERNAL, since = "0.1")
public class CoreRules extends RuleSet {

    private static List<String> events() {
        return new ArrayList<>();
    }

    @Rule(id = "CORE-01", capability = Capability.CORE, value = "run() makes the calling thread the reactor thread: "
            + "callWhenRunning calls run on it, isRunning() is true there, and false once run() has returned")
    @TrialTest
    Deferred<Void> runMakesTheCallingThreadTheReactorThread(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<Object> seen = new ArrayList<>();
        reactor.callWhenRunning(() -> {
            seen.add(Thread.currentThread());
            seen.add("running: " + reactor.isRunning());
            reactor.stop();
        });
        assertThat(reactor.isRunning()).as("isRunning() before run()").isFalse();
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("had to be crashed").isFalse();
            assertThat(seen).as("the thread callWhenRunning ran on, then isRunning()").containsExactly(Rut.lastRunThread(),
                    "running: true");
            assertThat(reactor.isRunning()).as("isRunning() after run() returned").isFalse();
        });
    }

    @Rule(id = "CORE-02", capability = Capability.CORE, value = "callWhenRunning calls made before run() run once it "
            + "is running, in the order they were added; one made while it runs runs at once")
    @TrialTest
    Deferred<Void> callWhenRunningRunsInOrderOnceRunning(TrialContext test) {
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
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(seen).containsExactly("first", "second", "third", "at once", "after the at-once call");
        });
    }

    @Rule(id = "CORE-03", capability = Capability.CORE, value = "stop() on a reactor that is not running throws "
            + "ReactorNotRunningException")
    @TrialTest
    Deferred<Void> stopWhenNotRunningIsRefused(TrialContext test) {
        Reactor reactor = Rut.build(test);
        test.addCleanup(() -> Rut.release(test, reactor));
        assertThatThrownBy(reactor::stop).isInstanceOf(ReactorNotRunningException.class);
        return Deferred.succeed(null);
    }

    @Rule(id = "CORE-04", capability = Capability.CORE, value = "a second stop() while the reactor is stopping throws "
            + "ReactorNotRunningException")
    @TrialTest
    Deferred<Void> aSecondStopIsRefused(TrialContext test) {
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
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(second).as("what the second stop() threw").singleElement().isInstanceOf(ReactorNotRunningException.class);
        });
    }

    @Rule(id = "CORE-05", capability = Capability.CORE, value = "run() on a reactor that has stopped throws "
            + "ReactorNotRestartableException")
    @TrialTest
    Deferred<Void> aStoppedReactorCannotRunAgain(TrialContext test) {
        Reactor reactor = Rut.build(test);
        reactor.callWhenRunning(reactor::stop);
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            // On the trial thread: refused at once, so it cannot hang the rule.
            assertThatThrownBy(reactor::run).isInstanceOf(ReactorNotRestartableException.class);
        });
    }

    @Rule(id = "CORE-06", capability = Capability.CORE, value = "run() on a running reactor throws "
            + "ReactorAlreadyRunningException")
    @TrialTest
    Deferred<Void> runWhileRunningIsRefused(TrialContext test) {
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
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(errors).as("what run() inside run() threw").singleElement()
                    .isInstanceOf(ReactorAlreadyRunningException.class);
        });
    }

    @Rule(id = "CORE-07", capability = Capability.CORE, value = "startup fires its before triggers (not yet running), "
            + "then its during triggers, then its after triggers and the callWhenRunning calls in the order they were added")
    @TrialTest
    Deferred<Void> startupTriggersRunPhaseByPhase(TrialContext test) {
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
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(seen).containsExactly("before (running=false)", "during", "after 1", "callWhenRunning", "after 2");
        });
    }

    @Rule(id = "CORE-08", capability = Capability.CORE, value = "stop() fires shutdown's before, during and after "
            + "triggers in that order, all before run() returns")
    @TrialTest
    Deferred<Void> shutdownTriggersRunBeforeRunReturns(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        for (Phase phase : new Phase[] {Phase.AFTER, Phase.DURING, Phase.BEFORE}) {
            reactor.addSystemEventTrigger(phase, Reactor.SHUTDOWN, () -> {
                seen.add(phase.name().toLowerCase(java.util.Locale.ROOT));
                return null;
            });
        }
        reactor.callWhenRunning(reactor::stop);
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            seen.add("run() returned");
            assertThat(seen).containsExactly("before", "during", "after", "run() returned");
        });
    }

    @Rule(id = "CORE-09", capability = Capability.CORE, value = "a before-shutdown trigger that returns a Deferred holds "
            + "the rest of shutdown until it fires, and the loop keeps running meanwhile")
    @TrialTest
    Deferred<Void> aShutdownTriggersDeferredHoldsShutdown(TrialContext test) {
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
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("had to be crashed: shutdown never finished").isFalse();
            assertThat(seen).containsExactly("a delayed call while shutdown waits", "during shutdown");
        });
    }

    @Rule(id = "CORE-10", capability = Capability.CORE, value = "a shutdown trigger that throws is logged, and the "
            + "other triggers still run")
    @TrialTest
    Deferred<Void> aFailingShutdownTriggerIsLoggedAndTheOthersRun(TrialContext test) {
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
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(seen).containsExactly("the next before trigger", "after");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "CORE-11", capability = Capability.CORE, value = "a removed system event trigger does not run, and "
            + "removing it again throws IllegalArgumentException")
    @TrialTest
    Deferred<Void> aRemovedTriggerDoesNotRun(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = events();
        TriggerHandle handle = reactor.addSystemEventTrigger(Phase.AFTER, Reactor.STARTUP, () -> {
            seen.add("the removed trigger ran");
            return null;
        });
        reactor.removeSystemEventTrigger(handle);
        reactor.callWhenRunning(reactor::stop);
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(seen).isEmpty();
            assertThatThrownBy(() -> reactor.removeSystemEventTrigger(handle)).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Rule(id = "CORE-12", capability = Capability.CORE, value = "crash() stops the loop at once without shutdown "
            + "triggers, and the reactor can run again")
    @TrialTest
    Deferred<Void> crashSkipsShutdownAndAllowsAnotherRun(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> seen = new CopyOnWriteArrayList<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, Reactor.SHUTDOWN, () -> {
            seen.add("shutdown trigger");
            return null;
        });
        reactor.callLater(Duration.ZERO, () -> {
            seen.add("first run");
            reactor.crash();
        });
        return Rut.startGuarded(test, reactor).addDeferredCallback(crashed -> {
            seen.add("run() returned");
            reactor.callLater(Duration.ZERO, () -> {
                seen.add("second run");
                reactor.stop();
            });
            return Rut.startGuarded(test, reactor);
        }).addVoidCallback(crashed -> {
            assertThat(seen).containsExactly("first run", "run() returned", "second run", "shutdown trigger");
        });
    }

    /**
     * Runs {@code script} on a thread of its own that builds the reactor (so that, not yet run, it
     * is that thread's reactor) and drives it with iterate(); the result fires on the trial
     * thread, or fails saying {@code hung} if the script has not returned within the rule's limit.
     * The reactor is released afterwards.
     */
    private static <T> Deferred<T> iterating(TrialContext test, String hung,
            java.util.function.Function<Reactor, T> script) {
        Reactor[] built = new Reactor[1];
        CompletableFuture<T> done = dev.twine.conformance.harness.Peer.run("iterate", () -> {
            built[0] = Rut.build(test);
            return script.apply(built[0]);
        });
        Deferred<T> result = new Deferred<>();
        dev.twine.reactor.DelayedCall[] giveUp = new dev.twine.reactor.DelayedCall[1];
        giveUp[0] = test.reactor().callLater(dev.twine.conformance.harness.Conformance.ruleLimit(test), () -> {
            if (!result.isCalled()) {
                result.errback(new dev.twine.defer.Failure(new AssertionError(hung)));
            }
        });
        done.whenComplete((value, error) -> test.reactor().callFromThread(() -> {
            if (giveUp[0].isActive()) {
                giveUp[0].cancel();
            }
            Deferred<Void> released = built[0] == null ? Deferred.succeed(null) : Rut.release(test, built[0]);
            released.addVoidCallback(ignored -> {
                if (!result.isCalled()) {
                    if (error != null) {
                        result.errback(new dev.twine.defer.Failure(error instanceof java.util.concurrent.CompletionException
                                && error.getCause() != null ? error.getCause() : error));
                    } else {
                        result.callback(value);
                    }
                }
            });
        }));
        return result;
    }

    @Rule(id = "CORE-13", capability = Capability.CORE, value = "iterate() runs delayed calls that are due and calls "
            + "from other threads without run(), and returns")
    @TrialTest
    Deferred<Void> iterateRunsWhatIsDue(TrialContext test) {
        List<String> seen = new CopyOnWriteArrayList<>();
        return CoreRules.<Boolean>iterating(test, "iterate(50 ms) did not return, or never ran what was due", reactor -> {
            reactor.callLater(Duration.ZERO, () -> seen.add("due"));
            reactor.callLater(Duration.ofHours(1), () -> seen.add("not due"));
            try {
                dev.twine.conformance.harness.Peer.run("caller", () -> {
                    reactor.callFromThread(() -> seen.add("from a thread"));
                    return null;
                }).join();
            } catch (RuntimeException e) {
                throw new AssertionError("callFromThread threw: " + e, e);
            }
            for (int i = 0; i < 5 && seen.size() < 2; i++) {
                reactor.iterate(Duration.ofMillis(50));
            }
            return reactor.isRunning();
        }).addVoidCallback(running -> {
            assertThat(seen).as("what iterate() ran").containsExactlyInAnyOrder("due", "from a thread");
            assertThat(running).as("isRunning() while iterating").isFalse();
        });
    }

    @Rule(id = "CORE-14", capability = Capability.CORE, value = "iterate(maxWait) returns: with nothing to do after "
            + "about maxWait, and with a delayed call pending once that call is due, not after maxWait; the next "
            + "iterate() runs it")
    @TrialTest
    Deferred<Void> iterateReturnsWhenNothingHappens(TrialContext test) {
        return CoreRules.<List<String>>iterating(test, "iterate() did not return: with a delayed call due in 20 ms, "
                + "iterate(1 hour) blocked past the call's due time (or iterate(50 ms) with nothing to do never returned)",
                reactor -> {
                    List<String> seen = new ArrayList<>();
                    reactor.iterate(Duration.ofMillis(50));
                    seen.add("iterate(50 ms) with nothing to do returned");
                    boolean[] ran = {false};
                    dev.twine.reactor.DelayedCall[] followUp = new dev.twine.reactor.DelayedCall[1];
                    dev.twine.reactor.DelayedCall call = reactor.callLater(Duration.ofMillis(20), () -> {
                        ran[0] = true;
                        followUp[0] = reactor.callLater(Duration.ZERO, () -> { });
                    });
                    // iterate(1 hour) must come back once the call is due (a spurious early return just goes round).
                    // If this thread is paused between the check and the iterate for longer than the call's
                    // delay, the iterate runs the call before it waits, and the wait must not be an hour: the
                    // call's follow-up is pending then, due at once (calls scheduled while due calls run wait for
                    // the next pass, TIME-15), so the iterate still returns.
                    for (int i = 0; i < 1000 && !ran[0] && reactor.seconds() < call.getTime(); i++) {
                        reactor.iterate(Duration.ofHours(1));
                    }
                    // Due now: the next iteration runs it, without waiting for I/O first.
                    for (int i = 0; i < 3 && !ran[0]; i++) {
                        reactor.iterate(Duration.ZERO);
                    }
                    if (followUp[0] != null && followUp[0].isActive()) {
                        followUp[0].cancel();
                    }
                    seen.add(ran[0] ? "the pending call ran" : "the pending call was due but did not run in 3 more "
                            + "iterations");
                    return seen;
                }).addVoidCallback(seen -> {
                    assertThat(seen).containsExactly("iterate(50 ms) with nothing to do returned", "the pending call ran");
                });
    }

    @Rule(id = "CORE-15", capability = Capability.CORE, value = "fireSystemEvent runs an application event's before, "
            + "during and after triggers in that order")
    @TrialTest
    Deferred<Void> applicationEventsRunPhaseByPhase(TrialContext test) {
        return Rut.start(test, reactor -> {
            List<String> order = events();
            for (Phase phase : new Phase[] {Phase.DURING, Phase.AFTER, Phase.BEFORE}) {
                reactor.addSystemEventTrigger(phase, "reload", () -> {
                    order.add(phase.name().toLowerCase(java.util.Locale.ROOT));
                    return null;
                });
            }
            reactor.fireSystemEvent("reload");
            return Poll.until(reactor, () -> order.size() == 3).addCallback(ignored -> order);
        }).addVoidCallback(seen -> {
            assertThat(seen).containsExactly("before", "during", "after");
        });
    }

    @Rule(id = "CORE-16", capability = Capability.CORE, value = "several reactors run at once in one JVM, each calling "
            + "back only on its own thread")
    @TrialTest
    Deferred<Void> manyReactorsRunAtOnce(TrialContext test) {
        int count = 3;
        List<Deferred<List<String>>> runs = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            int id = r;
            Reactor reactor = Rut.build(test);
            List<String> seen = new CopyOnWriteArrayList<>();
            Thread[] loop = new Thread[1];
            reactor.callWhenRunning(() -> loop[0] = Thread.currentThread());
            for (int i = 0; i < 20; i++) {
                int n = i;
                reactor.callLater(Duration.ofMillis(i % 4), () -> seen.add(
                        Thread.currentThread() == loop[0] ? id + ":" + n : "wrong thread " + Thread.currentThread().getName()));
            }
            reactor.callLater(Duration.ofMillis(30), reactor::stop);
            runs.add(Rut.startGuarded(test, reactor).addCallback(crashed -> seen));
        }
        return dev.twine.defer.DeferredList.gatherResults(runs).addVoidCallback(all -> {
            for (int r = 0; r < count; r++) {
                String prefix = r + ":";
                assertThat(all.get(r)).as("reactor %d", r).hasSize(20).allMatch(s -> s.startsWith(prefix));
            }
        });
    }

    @Rule(id = "CORE-17", capability = Capability.CORE, value = "an exception thrown by a callWhenRunning call is logged "
            + "and the reactor goes on")
    @TrialTest
    Deferred<Void> aFailingStartupCallIsLogged(TrialContext test) {
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
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(seen).containsExactly("the next call", "a delayed call");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged").hasSize(1);
        });
    }

    @Rule(id = "CORE-18", capability = Capability.CORE, uses = Capability.TCP, value = "stop() closes every listening port and connection "
            + "before run() returns; their protocols hear connectionLost")
    @TrialTest
    Deferred<Void> stopClosesEverything(TrialContext test) {
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
                    .addVoidCallback(ignored -> {
                        reactor.stop();
                    });
        });
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(accepted).as("connections accepted").hasSize(1);
            Recorder server = accepted.get(0);
            assertThat(server.lostCalls).as("connectionLost calls on the server's protocol").isEqualTo(1);
            try (Socket refused = new Socket()) {
                assertThatThrownBy(() -> refused.connect(new InetSocketAddress("127.0.0.1", Net.port(port[0])), 2000))
                        .as("connecting to the port after stop()").isInstanceOf(IOException.class);
            }
        }).addDeferredCallback(ignored -> Poll.future(test.reactor(), client[0].finished())).addVoidCallback(seen -> {
            assertThat(seen.ending()).as("how the client's connection ended").isIn(Ending.CLOSED_BY_PEER, Ending.RESET_BY_PEER);
        });
    }

    @Rule(id = "CORE-19", capability = Capability.CORE, uses = Capability.TCP, value = "errors thrown by application code the reactor calls "
            + "(a callWhenRunning call, a delayed call, a call from another thread, a protocol's dataReceived) go to "
            + "ErrorLog.current() of the thread that runs the reactor, the log tests watch")
    @TrialTest
    Deferred<Void> errorsGoToTheReactorThreadsErrorLog(TrialContext test) {
        final class Thrown extends RuntimeException {
            Thrown(String where) {
                super("thrown on purpose by " + where);
            }
        }
        List<String> sources = List.of("a callWhenRunning call", "a delayed call", "a call from another thread",
                "a protocol's dataReceived");
        Reactor built = Rut.build(test);
        built.callWhenRunning(() -> {
            throw new Thrown(sources.get(0));
        });
        return Rut.start(test, built, reactor -> {
            reactor.callLater(Duration.ZERO, () -> {
                throw new Thrown(sources.get(1));
            });
            Deferred<Void> fromThread = new Deferred<>();
            dev.twine.conformance.harness.Peer.run("caller", () -> {
                reactor.callFromThread(() -> {
                    throw new Thrown(sources.get(2));
                });
                reactor.callFromThread(() -> fromThread.callback(null));
                return null;
            });
            Recorder[] server = new Recorder[1];
            ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> server[0] = new Recorder() {
                @Override
                public void dataReceived(byte[] data) {
                    super.dataReceived(data);
                    throw new Thrown(sources.get(3));
                }
            }), 50, Net.LOOPBACK);
            FakeClient.to(Net.LOOPBACK, Net.port(port)).send("x").close().start();
            return fromThread.addDeferredCallback(ignored -> Poll.until(reactor, () -> server[0] != null))
                    .addDeferredCallback(ignored -> server[0].lost).addVoidCallback(ignored -> { });
        }).addVoidCallback(ignored -> {
            List<String> logged = test.flushLoggedErrors(Thrown.class).stream().map(f -> f.value().getMessage()).toList();
            List<String> missing = sources.stream().filter(s -> !logged.contains("thrown on purpose by " + s)).toList();
            assertThat(missing).as("errors that never reached ErrorLog.current() of the reactor thread (logged elsewhere "
                    + "or swallowed); it got: " + logged).isEmpty();
        });
    }
}
