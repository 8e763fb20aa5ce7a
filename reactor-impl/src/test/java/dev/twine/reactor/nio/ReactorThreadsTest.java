package dev.twine.reactor.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReactorThreadsTest {
    private final Harness harness = new Harness();

    @Test
    void callFromThreadWakesAnIdleReactorAndRunsOnItsThread() {
        Boolean onReactorThread = harness.run(reactor -> {
            Deferred<Boolean> done = new Deferred<>();
            Thread loop = Thread.currentThread();
            // Nothing is scheduled: the reactor sleeps in select until the other thread calls.
            Thread other = new Thread(() -> reactor.callFromThread(() -> done.callback(Thread.currentThread() == loop)));
            other.start();
            return done;
        });
        assertThat(onReactorThread).isTrue();
    }

    @Test
    void callsFromThreadsRunInOrder() {
        List<Integer> order = harness.run(reactor -> {
            List<Integer> seen = new ArrayList<>();
            Deferred<List<Integer>> done = new Deferred<>();
            new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    int n = i;
                    reactor.callFromThread(() -> seen.add(n));
                }
                reactor.callFromThread(() -> done.callback(seen));
            }).start();
            return done;
        });
        assertThat(order).hasSize(10_000).isSorted();
    }

    @Test
    void callsMadeBeforeRunWaitForIt() {
        NioReactor reactor = new NioReactor();
        List<String> seen = new ArrayList<>();
        reactor.callFromThread(() -> {
            seen.add("queued before run, running=" + reactor.isRunning());
            reactor.stop();
        });
        reactor.run();
        assertThat(seen).containsExactly("queued before run, running=true");
    }

    @Test
    void nestedCallFromThreadDoesNotStarveTheLoop() {
        Integer rounds = harness.run(reactor -> {
            Deferred<Integer> done = new Deferred<>();
            AtomicInteger count = new AtomicInteger();
            Runnable again = new Runnable() {
                @Override
                public void run() {
                    count.incrementAndGet();
                    if (!done.isCalled()) {
                        reactor.callFromThread(this);
                    }
                }
            };
            reactor.callFromThread(again);
            reactor.callLater(Duration.ofMillis(5), () -> done.callback(count.get()));
            return done;
        });
        assertThat(rounds).isPositive();
    }

    @Test
    void deferToThreadRunsOnThePoolAndFiresOnTheReactorThread() {
        List<String> result = harness.run(reactor -> {
            Thread loop = Thread.currentThread();
            List<String> seen = new ArrayList<>();
            return reactor.deferToThread(() -> {
                seen.add(Thread.currentThread() != loop ? "work on a pool thread" : "work on the reactor thread");
                return "value";
            }).addCallback(value -> {
                seen.add(value + " delivered on " + (Thread.currentThread() == loop ? "the reactor thread" : "another thread"));
                return seen;
            });
        });
        assertThat(result).containsExactly("work on a pool thread", "value delivered on the reactor thread");

        Failure failure = new Harness().run(reactor -> reactor.<String>deferToThread(() -> {
            throw new IOException("blocking work failed");
        }).addBoth((value, f) -> List.of(f))).get(0);
        assertThat(failure.value()).isInstanceOf(IOException.class).hasMessage("blocking work failed");
    }

    @Test
    void blockingCallFromThreadWaitsForTheReactorsDeferred() {
        String result = harness.run(reactor -> reactor.deferToThread(() ->
                reactor.<String>blockingCallFromThread(() -> {
                    Deferred<String> later = new Deferred<>();
                    reactor.callLater(Duration.ofMillis(5), () -> later.callback("from the reactor"));
                    return later;
                })));
        assertThat(result).isEqualTo("from the reactor");
    }

    @Test
    void thePoolIsBoundedBySuggestThreadPoolSize() {
        Integer peak = harness.run(reactor -> {
            reactor.suggestThreadPoolSize(2);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            CountDownLatch twoIn = new CountDownLatch(2);
            List<Deferred<Void>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(reactor.deferToThread(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    twoIn.countDown();
                    twoIn.await(10, TimeUnit.SECONDS);
                    running.decrementAndGet();
                    return null;
                }));
            }
            return dev.twine.defer.DeferredList.gatherResults(all).addCallback(ignored -> most.get());
        });
        assertThat(peak).isEqualTo(2);
    }

    @Test
    void thePoolStopsWithTheReactor() {
        Thread[] worker = new Thread[1];
        harness.run(reactor -> reactor.deferToThread(() -> {
            worker[0] = Thread.currentThread();
            return null;
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> !worker[0].isAlive());
        assertThat(worker[0].getName()).startsWith("twine-reactor-");
    }

    @Test
    void isInIOThread() {
        Boolean[] seen = new Boolean[2];
        harness.run(reactor -> {
            seen[0] = reactor.isInIOThread();
            return reactor.deferToThread(() -> {
                seen[1] = reactor.isInIOThread();
                return null;
            });
        });
        assertThat(seen).containsExactly(true, false);
    }
}
