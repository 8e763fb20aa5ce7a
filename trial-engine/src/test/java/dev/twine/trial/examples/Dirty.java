package dev.twine.trial.examples;

import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialTest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Run by the engine's tests: each test leaves something behind. */
public class Dirty {
    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    @TrialTest
    void leavesADelayedCall(Reactor reactor) {
        reactor.callLater(Duration.ofSeconds(99), () -> { });
    }

    @TrialTest
    void leavesAPortOpen(Reactor reactor) {
        reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> new Protocol() {
        }), 50, "127.0.0.1");
    }

    @TrialTest
    void leavesAThreadRunning() {
        Thread worker = new Thread(() -> {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "left-behind-worker");
        worker.start();
    }

    @TrialTest
    void zzzRunsOnACleanReactor(Reactor reactor) {
        if (!reactor.getDelayedCalls().isEmpty()) {
            throw new AssertionError("not clean: " + reactor.getDelayedCalls());
        }
        if (!((dev.twine.reactor.ReactorDescriptors) reactor).getReaders().isEmpty()) {
            throw new AssertionError("not clean: " + ((dev.twine.reactor.ReactorDescriptors) reactor).getReaders());
        }
    }
}
