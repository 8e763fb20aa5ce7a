package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Chaining and stack depth: DEF-08 to DEF-12. */
class DeferredChainingTest {

    @Test
    @DisplayName("DEF-08 a callback returning an unfired Deferred pauses the outer chain until the inner fires")
    void innerResultContinuesOuter() {
        List<String> seen = new ArrayList<>();
        Deferred<String> outer = new Deferred<>();
        Deferred<Integer> inner = new Deferred<>();
        Deferred<Integer> chained = outer.addDeferredCallback(s -> inner).addCallback(n -> {
            seen.add("outer continued with " + n);
            return n + 1;
        });
        outer.callback("go");
        assertThat(seen).isEmpty();
        assertThat(outer.isPaused()).isTrue();

        inner.callback(41);

        assertThat(seen).containsExactly("outer continued with 41");
        assertThat(successResultOf(chained)).isEqualTo(42);
        assertThat(successResultOf(inner)).as("the inner is left holding null").isNull();
    }

    @Test
    @DisplayName("DEF-08 an inner Failure continues the outer chain on the errback side, and the inner never reports it")
    void innerFailureContinuesOuter() {
        Deferred<String> outer = Deferred.succeed("go");
        Deferred<String> inner = new Deferred<>();
        Failure[] seen = new Failure[1];
        outer.addDeferredCallback(s -> inner).addErrback(f -> {
            seen[0] = f;
            return "recovered";
        });
        IOException error = new IOException("inner failed");

        inner.errback(error);

        assertThat(seen[0].value()).isSameAs(error);
        assertThat(successResultOf(outer)).isEqualTo("recovered");
        assertThat(successResultOf(inner)).isNull();
    }

    @Test
    @DisplayName("DEF-08 an errback returning an unfired Deferred pauses the chain too")
    void errbackReturnsDeferred() {
        Deferred<String> outer = Deferred.fail(new IOException("first try"));
        Deferred<String> retry = new Deferred<>();
        outer.addDeferredErrback(f -> retry);
        DeferredTesting.assertNoResult(outer);
        retry.callback("second try");
        assertThat(successResultOf(outer)).isEqualTo("second try");
    }

    @Test
    @DisplayName("DEF-09 returning an already-fired Deferred continues synchronously, value or Failure")
    void firedInnerContinuesSynchronously() {
        Deferred<Integer> outer = Deferred.succeed("abc").addDeferredCallback(s -> Deferred.succeed(s.length()));
        assertThat(successResultOf(outer)).isEqualTo(3);

        IOException error = new IOException("already failed");
        Deferred<Integer> failing = Deferred.succeed("abc").addDeferredCallback(s -> Deferred.<Integer>fail(error));
        assertThat(failureResultOf(failing).value()).isSameAs(error);
    }

    @Test
    @DisplayName("DEF-09 returning a fired but paused Deferred waits for its unpause")
    void pausedInnerIsWaitedFor() {
        Deferred<String> inner = Deferred.succeed("held");
        inner.pause();
        Deferred<String> outer = Deferred.succeed("go").addDeferredCallback(s -> inner);
        DeferredTesting.assertNoResult(outer);
        inner.unpause();
        assertThat(successResultOf(outer)).isEqualTo("held");
    }

    @Test
    @DisplayName("DEF-10 chaining is transitive: a Deferred waiting on one that waits on another gets the innermost result")
    void chainingIsTransitive() {
        Deferred<String> first = new Deferred<>();
        Deferred<String> second = new Deferred<>();
        Deferred<String> third = new Deferred<>();
        List<String> order = new ArrayList<>();
        Deferred<String> a = first.addDeferredCallback(x -> second).addCallback(s -> {
            order.add("first got " + s);
            return s;
        });
        second.addDeferredCallback(x -> third).addCallback(s -> {
            order.add("second got " + s);
            return s + "+2";
        });
        first.callback("start");
        second.callback("start");
        assertThat(order).isEmpty();

        third.callback("deep");

        assertThat(order).containsExactly("second got deep", "first got deep+2");
        assertThat(successResultOf(a)).isEqualTo("deep+2");
    }

    @Test
    @DisplayName("DEF-10 the inner's own callbacks run before the outer continues; ones added after it was returned run after, seeing null")
    void innerCallbacksPreserved() {
        List<String> order = new ArrayList<>();
        Deferred<String> inner = new Deferred<>();
        inner.addCallback(s -> {
            order.add("inner callback");
            return s + "!";
        });
        Deferred<String> outer = Deferred.succeed("x").addDeferredCallback(s -> inner).addCallback(s -> {
            order.add("outer callback with " + s);
            return s;
        });
        inner.addCallback(s -> {
            order.add("inner callback added later sees " + s);
            return s;
        });
        inner.callback("r");
        assertThat(order).containsExactly("inner callback", "outer callback with r!", "inner callback added later sees null");
        assertThat(successResultOf(outer)).isEqualTo("r!");
    }

    @Test
    @DisplayName("DEF-11 100,000 callbacks on one Deferred fire without growing the stack")
    void longChainDoesNotOverflow() {
        Deferred<Integer> d = new Deferred<>();
        for (int i = 0; i < 100_000; i++) {
            d = d.addCallback(n -> n + 1);
        }
        d.callback(0);
        assertThat(successResultOf(d)).isEqualTo(100_000);
    }

    @Test
    @DisplayName("DEF-11 100,000 nested unfired Deferreds, each waiting on the next, fire without StackOverflowError")
    void deepNestingDoesNotOverflow() {
        int depth = 100_000;
        List<Deferred<Integer>> levels = new ArrayList<>();
        for (int i = 0; i <= depth; i++) {
            levels.add(new Deferred<>());
        }
        for (int i = 0; i < depth; i++) {
            Deferred<Integer> next = levels.get(i + 1);
            levels.set(i, levels.get(i).addDeferredCallback(ignored -> next).addCallback(n -> n + 1));
        }
        for (int i = 0; i < depth; i++) {
            levels.get(i).callback(0);
        }

        levels.get(depth).callback(0);

        assertThat(successResultOf(levels.get(0))).isEqualTo(depth);
    }

    @Test
    @DisplayName("DEF-11 100,000 Deferreds chained with chainDeferred fire without StackOverflowError")
    void chainDeferredIsStackSafe() {
        Deferred<Integer> first = new Deferred<>();
        Deferred<Integer> last = first;
        for (int i = 0; i < 100_000; i++) {
            Deferred<Integer> next = new Deferred<>();
            last.chainDeferred(next);
            last = next;
        }
        first.callback(7);
        assertThat(successResultOf(last)).isEqualTo(7);
    }

    @Test
    @DisplayName("DEF-11 a recursive asynchronous loop 100,000 steps deep, each returning an already-fired Deferred, completes")
    void recursiveLoopOfFiredDeferredsDoesNotOverflow() {
        Deferred<Integer> result = countDown(100_000);
        assertThat(successResultOf(result)).isEqualTo(0);
    }

    private static Deferred<Integer> countDown(int n) {
        if (n == 0) {
            return Deferred.succeed(0);
        }
        return Deferred.succeed(n - 1).addDeferredCallback(DeferredChainingTest::countDown);
    }

    @Test
    @DisplayName("DEF-11 a recursive loop whose steps fire later, on a queue, completes without growing the stack")
    void recursiveLoopOfLaterDeferredsDoesNotOverflow() {
        QueueRunner runner = new QueueRunner();
        Deferred<Integer> result = countDownLater(100_000, runner);
        runner.runAll();
        assertThat(successResultOf(result)).isEqualTo(0);
    }

    private static Deferred<Integer> countDownLater(int n, QueueRunner runner) {
        if (n == 0) {
            return Deferred.succeed(0);
        }
        Deferred<Integer> step = new Deferred<>();
        runner.later(() -> step.callback(n - 1));
        return step.addDeferredCallback(m -> countDownLater(m, runner));
    }

    /** A queue of work run one item at a time, like a reactor's loop. */
    private static final class QueueRunner {
        private final java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();

        void later(Runnable r) {
            queue.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = queue.poll()) != null) {
                r.run();
            }
        }
    }

    @Test
    @DisplayName("DEF-12 a callback returning the Deferred it is attached to fails the chain instead of stalling it")
    void returningItselfIsAnError() {
        Deferred<String> d = new Deferred<>();
        d.addDeferredCallback(s -> d);
        d.callback("x");
        Failure failure = failureResultOf(d);
        assertThat(failure.value()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned the Deferred it was attached to");
        assertThat(d.isPaused()).isFalse();
    }
}
