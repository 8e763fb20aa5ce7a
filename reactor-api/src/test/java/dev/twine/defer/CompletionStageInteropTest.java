package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.assertNoResult;
import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Deferreds to CompletionStages and back. */
class CompletionStageInteropTest {

    @Test
    void stageValueFiresTheDeferred() {
        CompletableFuture<String> future = new CompletableFuture<>();
        Deferred<String> d = Deferred.fromCompletionStage(future);
        assertNoResult(d);
        future.complete("done");
        assertThat(successResultOf(d)).isEqualTo("done");
    }

    @Test
    void stageFailureIsUnwrapped() {
        IOException error = new IOException("failed stage");
        CompletableFuture<String> future = new CompletableFuture<>();
        Deferred<String> d = Deferred.fromCompletionStage(future.thenApply(s -> s));
        future.completeExceptionally(error);
        assertThat(failureResultOf(d).value()).isSameAs(error);
    }

    @Test
    void cancellingTheDeferredCancelsTheStage() {
        CompletableFuture<String> future = new CompletableFuture<>();
        Deferred<String> d = Deferred.fromCompletionStage(future);
        d.cancel();
        assertThat(future.isCancelled()).isTrue();
        assertThat(failureResultOf(d).value()).isInstanceOf(CancelledException.class);
    }

    @Test
    void executorDecidesWhereTheDeferredFires() {
        List<Runnable> reactorQueue = new ArrayList<>();
        Executor callFromThread = reactorQueue::add;
        CompletableFuture<String> future = new CompletableFuture<>();
        Deferred<String> d = Deferred.fromCompletionStage(future, callFromThread);
        future.complete("value");
        assertNoResult(d);
        assertThat(reactorQueue).hasSize(1);
        reactorQueue.get(0).run();
        assertThat(successResultOf(d)).isEqualTo("value");
    }

    @Test
    void deferredToCompletableFutureHandsTheResultOver() throws Exception {
        Deferred<String> d = new Deferred<>();
        CompletableFuture<String> future = d.toCompletableFuture();
        assertThat(future).isNotDone();
        d.callback("handed over");
        assertThat(future.get()).isEqualTo("handed over");
        assertThat(successResultOf(d)).isNull();

        Deferred<String> failing = new Deferred<>();
        CompletableFuture<String> failed = failing.toCompletableFuture();
        failing.errback(new IOException("boom"));
        assertThat(failed).isCompletedExceptionally();
        try {
            failed.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessage("boom");
        }
    }
}
