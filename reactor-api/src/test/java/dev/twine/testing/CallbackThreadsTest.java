package dev.twine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallbackThreadsTest {

    private static Thread runOn(String name, Runnable work) throws InterruptedException {
        Thread thread = new Thread(work, name);
        thread.start();
        thread.join();
        return thread;
    }

    @Test
    void namesEachCallbackThatRanOnAnotherThreadOnce() throws InterruptedException {
        CallbackThreads callbacks = new CallbackThreads();
        callbacks.record("dataReceived");
        runOn("elsewhere", () -> {
            callbacks.record("connectionLost");
            callbacks.record("connectionLost");
        });
        assertThat(callbacks.count()).isEqualTo(3);
        assertThat(callbacks.elsewhere(Thread.currentThread())).containsExactly("connectionLost on elsewhere");
        assertThatThrownBy(() -> CallbackThreads.assertOnReactorThread(Thread.currentThread(), callbacks))
                .isInstanceOf(AssertionError.class)
                .hasMessage("callbacks ran off the reactor thread (" + Thread.currentThread().getName()
                        + "): connectionLost on elsewhere");
    }

    @Test
    void passesWhenEveryCallbackRanOnTheReactorThreadAndFailsWhenNoneWasRecorded() {
        CallbackThreads one = new CallbackThreads();
        CallbackThreads other = new CallbackThreads();
        one.record("doRead");
        CallbackThreads.assertOnReactorThread(Thread.currentThread(), one, other);
        assertThatThrownBy(() -> CallbackThreads.assertOnReactorThread(Thread.currentThread(), other))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no callback was recorded");
        assertThatThrownBy(() -> CallbackThreads.assertOnReactorThread(null, one))
                .isInstanceOf(AssertionError.class).hasMessageContaining("(none)");
    }

    @Test
    void keepsEachPairOnceAndRefusesMoreDistinctPairsThanItsLimit() {
        CallbackThreads callbacks = new CallbackThreads();
        for (int i = 0; i < 3 * CallbackThreads.MAX_DISTINCT; i++) {
            callbacks.record("the same");
        }
        for (int i = 1; i < CallbackThreads.MAX_DISTINCT; i++) {
            callbacks.record("call " + i);
        }
        assertThatThrownBy(() -> callbacks.record("one too many"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at most " + CallbackThreads.MAX_DISTINCT);
        callbacks.record("the same");
        assertThat(callbacks.count()).isEqualTo(4 * CallbackThreads.MAX_DISTINCT);
    }
}
