package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TrialTest;
import java.util.concurrent.CountDownLatch;

/** Run by the engine's tests: one test leaves a virtual thread running, the next waits for one that ends. */
public class LeavesAVirtualThread {
    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** Thread.ofVirtual().name(name).start(body), by reflection: this build compiles for Java 17. */
    static void startVirtual(String name, Runnable body) throws ReflectiveOperationException {
        if (Runtime.version().feature() < 21) {
            throw new SkipTest("virtual threads need JDK 21 or later");
        }
        Class<?> builder = Class.forName("java.lang.Thread$Builder");
        Object virtual = Thread.class.getMethod("ofVirtual").invoke(null);
        virtual = builder.getMethod("name", String.class).invoke(virtual, name);
        builder.getMethod("start", Runnable.class).invoke(virtual, body);
    }

    @TrialTest
    void leavesAVirtualThread() throws ReflectiveOperationException {
        startVirtual("left-virtual", () -> {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @TrialTest
    Deferred<String> zzzWaitsForAVirtualThreadThatEnds(Reactor reactor) throws ReflectiveOperationException {
        Deferred<String> result = new Deferred<>();
        startVirtual("ending-virtual", () -> reactor.callFromThread(() -> result.callback("done")));
        return result;
    }
}
