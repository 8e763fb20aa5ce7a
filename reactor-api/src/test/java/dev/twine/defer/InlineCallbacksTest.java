package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.assertNoResult;
import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The await style: DEF-31. */
class InlineCallbacksTest {

    @Test
    @DisplayName("DEF-31 an awaited Deferred suspends the body until it fires; the body's return value fires the result")
    void awaitSuspendsUntilFired() {
        List<String> seen = new ArrayList<>();
        Deferred<String> poem = new Deferred<>();
        Deferred<Integer> length = inlineCallbacks(() -> {
            seen.add("before await");
            String text = await(poem);
            seen.add("after await: " + text);
            return text.length();
        });
        assertThat(seen).containsExactly("before await");
        assertNoResult(length);

        poem.callback("a poem");

        assertThat(seen).containsExactly("before await", "after await: a poem");
        assertThat(successResultOf(length)).isEqualTo(6);
    }

    @Test
    @DisplayName("DEF-31 awaiting an already-fired Deferred comes straight back, and a null return gives null")
    void firedDeferredComesStraightBack() {
        Deferred<Object> result = inlineCallbacks(() -> {
            assertThat(await(Deferred.succeed("now"))).isEqualTo("now");
            return null;
        });
        assertThat(successResultOf(result)).isNull();
    }

    @Test
    @DisplayName("DEF-31 a failure is thrown at the await, unchanged, and the body may catch it")
    void failureIsThrownAtTheAwait() {
        IOException error = new IOException("download failed");
        Deferred<String> download = new Deferred<>();
        Deferred<String> result = inlineCallbacks(() -> {
            try {
                return await(download);
            } catch (IOException e) {
                return "caught " + (e == error ? "the same exception" : "another exception");
            }
        });
        download.errback(error);
        assertThat(successResultOf(result)).isEqualTo("caught the same exception");
    }

    @Test
    @DisplayName("DEF-31 an exception escaping the body fails the result")
    void escapingExceptionFailsTheResult() {
        Deferred<String> result = inlineCallbacks(() -> {
            await(Deferred.succeed(1));
            throw new IllegalStateException("escaped");
        });
        assertThat(failureResultOf(result).value()).isInstanceOf(IllegalStateException.class).hasMessage("escaped");

        Deferred<String> failing = new Deferred<>();
        Deferred<String> uncaught = inlineCallbacks(() -> await(failing));
        failing.errback(new IOException("not caught"));
        assertThat(failureResultOf(uncaught).value()).isInstanceOf(IOException.class).hasMessage("not caught");
    }

    @Test
    @DisplayName("DEF-31 await outside an inlineCallbacks body is an error naming inlineCallbacks")
    void awaitOutsideABody() {
        assertThatThrownBy(() -> await(Deferred.succeed(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inlineCallbacks");
    }

    @Test
    @DisplayName("DEF-31 cancelling the result cancels the awaited Deferred, whose CancelledException reaches the body")
    void cancellingTheResultCancelsTheAwaited() {
        List<String> cancelled = new ArrayList<>();
        Deferred<String> slow = new Deferred<>(self -> cancelled.add("slow"));
        Deferred<String> result = inlineCallbacks(() -> {
            try {
                return await(slow);
            } catch (CancelledException e) {
                return "body saw the cancellation";
            }
        });
        result.cancel();
        assertThat(cancelled).containsExactly("slow");
        assertThat(successResultOf(result)).isEqualTo("body saw the cancellation");

        Deferred<String> other = new Deferred<>();
        Deferred<String> uncaught = inlineCallbacks(() -> await(other));
        uncaught.cancel();
        assertThat(failureResultOf(uncaught).value()).isInstanceOf(CancelledException.class);
    }

    @Test
    @DisplayName("DEF-31 100,000 awaits of fired Deferreds and 10,000 of Deferreds fired later do not grow the stack")
    void loopsDoNotGrowTheStack() {
        Deferred<Integer> sum = inlineCallbacks(() -> {
            int total = 0;
            for (int i = 0; i < 100_000; i++) {
                total += await(Deferred.succeed(1));
            }
            return total;
        });
        assertThat(successResultOf(sum)).isEqualTo(100_000);

        ArrayDeque<Deferred<Integer>> queue = new ArrayDeque<>();
        Deferred<Integer> later = inlineCallbacks(() -> {
            int total = 0;
            for (int i = 0; i < 10_000; i++) {
                Deferred<Integer> step = new Deferred<>();
                queue.add(step);
                total += await(step);
            }
            return total;
        });
        Deferred<Integer> next;
        while ((next = queue.poll()) != null) {
            next.callback(1);
        }
        assertThat(successResultOf(later)).isEqualTo(10_000);
    }

    @Test
    @DisplayName("DEF-31 the body and the thread that drives it never run at the same time")
    void bodyAndDriverNeverOverlap() {
        AtomicInteger running = new AtomicInteger();
        List<Integer> overlaps = new ArrayList<>();
        ArrayDeque<Deferred<Integer>> queue = new ArrayDeque<>();
        Deferred<Integer> result = inlineCallbacks(() -> {
            for (int i = 0; i < 1000; i++) {
                overlaps.add(running.incrementAndGet());
                Deferred<Integer> step = new Deferred<>();
                queue.add(step);
                running.decrementAndGet();
                await(step);
            }
            return 1;
        });
        Deferred<Integer> next;
        while ((next = queue.poll()) != null) {
            overlaps.add(running.incrementAndGet());
            running.decrementAndGet();
            next.callback(1);
        }
        assertThat(successResultOf(result)).isEqualTo(1);
        assertThat(overlaps).hasSize(2000).containsOnly(1);
    }

    @Test
    void nestedBodiesComposeAndRunOnTheirOwnThreads() {
        Deferred<String> inner = new Deferred<>();
        Thread driver = Thread.currentThread();
        List<Boolean> onDriver = new ArrayList<>();
        Deferred<String> outer = inlineCallbacks(() -> {
            onDriver.add(Thread.currentThread() == driver);
            String a = await(inlineCallbacks(() -> "inner body: " + await(inner)));
            return "outer got " + a;
        });
        inner.callback("hello");
        assertThat(successResultOf(outer)).isEqualTo("outer got inner body: hello");
        assertThat(onDriver).containsExactly(false);
    }

    @Test
    void bodyReturningADeferredIsAMistake() {
        Deferred<Object> result = inlineCallbacks(() -> Deferred.succeed(1));
        assertThat(failureResultOf(result).value()).isInstanceOf(IllegalStateException.class).hasMessageContaining("await");
    }

    @Test
    void bodyUsesVirtualThreadsWhenTheJdkHasThem() {
        boolean virtualAvailable = Runtime.version().feature() >= 21;
        assertThat(InlineCallbacks.usesVirtualThreads()).isEqualTo(virtualAvailable);
    }

    @Test
    void errorsLoggedInTheBodyGoToTheDriversLog() {
        List<String> logged = new ArrayList<>();
        Deferred<String> step = new Deferred<>();
        Deferred<Object> result;
        try (ErrorLog.Binding ignored = ErrorLog.bind((f, why) -> logged.add(f.getErrorMessage()))) {
            result = inlineCallbacks(() -> {
                ErrorLog.current().err(new Failure(new IOException("from the body")), null);
                await(step);
                ErrorLog.current().err(new Failure(new IOException("after resuming")), null);
                return null;
            });
            step.callback("go");
        }
        assertThat(successResultOf(result)).isNull();
        assertThat(logged).containsExactly("from the body", "after resuming");
    }
}
