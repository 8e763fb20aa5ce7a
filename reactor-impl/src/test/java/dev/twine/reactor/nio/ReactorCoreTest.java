package dev.twine.reactor.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Phase;
import dev.twine.reactor.ReactorAlreadyRunningException;
import dev.twine.reactor.ReactorNotRestartableException;
import dev.twine.reactor.ReactorNotRunningException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ReactorCoreTest {

    @Test
    void startupRunsBeforeDuringThenCallWhenRunningAndAfterInOrder() {
        NioReactor reactor = new NioReactor();
        List<String> events = new ArrayList<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, "startup", () -> {
            events.add("before startup (running=" + reactor.isRunning() + ")");
            return null;
        });
        reactor.callWhenRunning(() -> events.add("callWhenRunning 1"));
        reactor.addSystemEventTrigger(Phase.AFTER, "startup", () -> {
            events.add("after startup");
            return null;
        });
        reactor.callWhenRunning(() -> {
            events.add("callWhenRunning 2 (running=" + reactor.isRunning() + ")");
            reactor.callWhenRunning(() -> events.add("called at once when already running"));
            reactor.stop();
        });
        reactor.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> {
            events.add("before shutdown");
            return null;
        });
        reactor.addSystemEventTrigger(Phase.AFTER, "shutdown", () -> {
            events.add("after shutdown");
            return null;
        });

        reactor.run();

        assertThat(events).containsExactly("before startup (running=false)", "callWhenRunning 1", "after startup",
                "callWhenRunning 2 (running=true)", "called at once when already running",
                "before shutdown", "after shutdown");
        assertThat(reactor.isRunning()).isFalse();
    }

    @Test
    void misuseOfRunAndStopIsReported() {
        NioReactor reactor = new NioReactor();
        assertThatThrownBy(reactor::stop).isInstanceOf(ReactorNotRunningException.class)
                .hasMessage("Can't stop reactor that isn't running.");
        List<Throwable> errors = new ArrayList<>();
        reactor.callWhenRunning(() -> {
            try {
                reactor.run();
            } catch (ReactorAlreadyRunningException e) {
                errors.add(e);
            }
            reactor.stop();
            try {
                reactor.stop();
            } catch (ReactorNotRunningException e) {
                errors.add(e);
            }
        });
        reactor.run();
        assertThat(errors).hasSize(2);
        assertThatThrownBy(reactor::run).isInstanceOf(ReactorNotRestartableException.class);
        assertThatThrownBy(reactor::stop).isInstanceOf(ReactorNotRunningException.class);
    }

    @Test
    void aBeforeShutdownTriggersDeferredHoldsShutdownUntilItFires() {
        NioReactor reactor = new NioReactor();
        List<String> events = new ArrayList<>();
        Deferred<Void> cleanup = new Deferred<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> cleanup);
        reactor.addSystemEventTrigger(Phase.DURING, "shutdown", () -> {
            events.add("during shutdown");
            return null;
        });
        reactor.callWhenRunning(() -> {
            reactor.stop();
            reactor.callLater(Duration.ofMillis(20), () -> {
                events.add("the loop still runs while shutdown waits");
                cleanup.callback(null);
            });
        });
        reactor.run();
        assertThat(events).containsExactly("the loop still runs while shutdown waits", "during shutdown");
    }

    @Test
    void crashSkipsShutdownAndTheReactorCanRunAgain() {
        NioReactor reactor = new NioReactor();
        List<String> events = new ArrayList<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> {
            events.add("shutdown trigger");
            return null;
        });
        reactor.callLater(Duration.ZERO, () -> {
            events.add("first run");
            reactor.crash();
        });
        reactor.run();
        reactor.callLater(Duration.ZERO, () -> {
            events.add("second run");
            reactor.stop();
        });
        reactor.run();
        assertThat(events).containsExactly("first run", "second run", "shutdown trigger");
    }

    @Test
    void iterateRunsWhatIsDueWithoutRunning() {
        NioReactor reactor = new NioReactor();
        List<String> events = new ArrayList<>();
        reactor.callLater(Duration.ZERO, () -> events.add("due"));
        reactor.callFromThread(() -> events.add("from a thread"));
        reactor.iterate(Duration.ZERO);
        reactor.iterate(Duration.ZERO);
        assertThat(events).containsExactly("from a thread", "due");
    }

    @Test
    void manyReactorsRunAtOnceInOneJvm() throws Exception {
        int count = 4;
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int r = 0; r < count; r++) {
                int id = r;
                runs.add(threads.submit(() -> {
                    NioReactor reactor = new NioReactor();
                    List<String> seen = new CopyOnWriteArrayList<>();
                    Thread[] loop = new Thread[1];
                    reactor.callWhenRunning(() -> loop[0] = Thread.currentThread());
                    for (int i = 0; i < 50; i++) {
                        int n = i;
                        reactor.callLater(Duration.ofMillis(i % 5), () -> {
                            if (Thread.currentThread() != loop[0]) {
                                seen.add("wrong thread");
                            }
                            seen.add(id + ":" + n);
                        });
                    }
                    reactor.callLater(Duration.ofMillis(10), reactor::stop);
                    reactor.run();
                    return seen;
                }));
            }
            for (int r = 0; r < count; r++) {
                List<String> seen = runs.get(r).get();
                assertThat(seen).hasSize(50).doesNotContain("wrong thread");
                int id = r;
                assertThat(seen).allMatch(s -> s.startsWith(id + ":"));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void removeSystemEventTrigger() {
        NioReactor reactor = new NioReactor();
        List<String> events = new ArrayList<>();
        var handle = reactor.addSystemEventTrigger(Phase.AFTER, "startup", () -> {
            events.add("removed trigger ran");
            return null;
        });
        reactor.removeSystemEventTrigger(handle);
        reactor.callWhenRunning(reactor::stop);
        reactor.run();
        assertThat(events).isEmpty();
        assertThatThrownBy(() -> reactor.removeSystemEventTrigger(handle)).isInstanceOf(IllegalArgumentException.class);
    }
}
