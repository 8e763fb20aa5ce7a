package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.assertNoResult;
import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** DeferredLock, DeferredSemaphore, DeferredQueue: DEF-28 to DEF-30. */
class DeferredPrimitivesTest {

    @Test
    @DisplayName("DEF-28 DeferredLock: acquire fires at once when free, else queues first come first served; release hands over")
    void lockQueuesInOrder() {
        DeferredLock lock = new DeferredLock();
        List<String> order = new ArrayList<>();
        Deferred<DeferredLock> first = lock.acquire();
        assertThat(successResultOf(first)).isSameAs(lock);
        assertThat(lock.isLocked()).isTrue();
        lock.acquire().addCallback(l -> order.add("second"));
        lock.acquire().addCallback(l -> order.add("third"));
        assertThat(order).isEmpty();

        lock.release();
        assertThat(order).containsExactly("second");
        lock.release();
        assertThat(order).containsExactly("second", "third");
        lock.release();
        assertThat(lock.isLocked()).isFalse();
        assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("DeferredLock");
    }

    @Test
    @DisplayName("DEF-28 cancelling a waiting acquire fails it with CancelledException; cancelling a granted one does nothing")
    void cancelLock() {
        DeferredLock lock = new DeferredLock();
        Deferred<DeferredLock> granted = lock.acquire();
        Deferred<DeferredLock> waiting = lock.acquire();
        waiting.cancel();
        assertThat(failureResultOf(waiting).value()).isInstanceOf(CancelledException.class);
        granted.cancel();
        assertThat(lock.isLocked()).isTrue();
        lock.release();
        assertThat(lock.isLocked()).as("the cancelled waiter did not get the lock").isFalse();
    }

    @Test
    @DisplayName("DEF-28 run(f) holds the lock until the Deferred f returned fires")
    void lockRun() {
        DeferredLock lock = new DeferredLock();
        Deferred<String> work = new Deferred<>();
        Deferred<String> result = lock.run(() -> work);
        assertThat(lock.isLocked()).isTrue();
        assertNoResult(result);
        work.callback("done");
        assertThat(lock.isLocked()).isFalse();
        assertThat(successResultOf(result)).isEqualTo("done");

        Deferred<String> failed = lock.run(() -> {
            throw new IOException("work failed");
        });
        assertThat(lock.isLocked()).isFalse();
        assertThat(failureResultOf(failed).getErrorMessage()).isEqualTo("work failed");
    }

    @Test
    @DisplayName("DEF-29 DeferredSemaphore(n) lets n holders in at once and refuses n < 1")
    void semaphore() {
        DeferredSemaphore semaphore = new DeferredSemaphore(2);
        Deferred<DeferredSemaphore> a = semaphore.acquire();
        Deferred<DeferredSemaphore> b = semaphore.acquire();
        Deferred<DeferredSemaphore> c = semaphore.acquire();
        assertThat(a.isCalled()).isTrue();
        assertThat(b.isCalled()).isTrue();
        assertThat(c.isCalled()).isFalse();
        assertThat(semaphore.tokens()).isZero();
        semaphore.release();
        assertThat(successResultOf(c)).isSameAs(semaphore);

        assertThatThrownBy(() -> new DeferredSemaphore(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DeferredSemaphore requires tokens >= 1");
    }

    @Test
    @DisplayName("DEF-29 cancelling a waiting semaphore acquire gives up its place")
    void cancelSemaphore() {
        DeferredSemaphore semaphore = new DeferredSemaphore(1);
        semaphore.acquire();
        Deferred<DeferredSemaphore> waiting = semaphore.acquire();
        waiting.cancel();
        assertThat(semaphore.waiting()).isZero();
        semaphore.release();
        assertThat(semaphore.tokens()).isEqualTo(1);
    }

    @Test
    @DisplayName("DEF-30 DeferredQueue: a waiting get fires on the next put; put past size overflows; gets past backlog underflow")
    void queue() {
        DeferredQueue<String> queue = new DeferredQueue<>(2, 1);
        Deferred<String> waiting = queue.get();
        assertNoResult(waiting);
        assertThatThrownBy(queue::get).isInstanceOf(QueueUnderflowException.class);
        queue.put("first");
        assertThat(successResultOf(waiting)).isEqualTo("first");

        queue.put("a");
        queue.put("b");
        assertThatThrownBy(() -> queue.put("c")).isInstanceOf(QueueOverflowException.class);
        assertThat(successResultOf(queue.get())).isEqualTo("a");
        assertThat(successResultOf(queue.get())).isEqualTo("b");
    }

    @Test
    @DisplayName("DEF-30 cancelled gets are skipped by later puts")
    void cancelledGetsAreSkipped() {
        DeferredQueue<String> queue = new DeferredQueue<>();
        Deferred<String> cancelled = queue.get();
        Deferred<String> next = queue.get();
        cancelled.cancel();
        queue.put("item");
        assertThat(failureResultOf(cancelled).value()).isInstanceOf(CancelledException.class);
        assertThat(successResultOf(next)).isEqualTo("item");
        assertThat(queue.waitingGets()).isZero();
    }
}
