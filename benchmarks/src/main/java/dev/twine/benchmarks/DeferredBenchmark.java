package dev.twine.benchmarks;

import dev.twine.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Deferred against CompletableFuture on the same work: ten value callbacks added before the result
 * arrives, ten added after, and a 10,000-deep nested chain. Each operation ends by reading the
 * final result, so nothing is optimised away.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xss8m"})
@State(Scope.Thread)
public class DeferredBenchmark {

    /** How deep the nested-chain benchmarks go. */
    public static final int DEPTH = 10_000;

    private static Integer plusOne(Integer n) {
        return n + 1;
    }

    @Benchmark
    public int deferred10CallbacksBeforeFiring() {
        Deferred<Integer> d = new Deferred<>();
        Deferred<Integer> chain = d;
        for (int i = 0; i < 10; i++) {
            chain = chain.addCallback(DeferredBenchmark::plusOne);
        }
        int[] out = new int[1];
        chain.addCallback(n -> out[0] = n);
        d.callback(0);
        return out[0];
    }

    @Benchmark
    public int completableFuture10ThenApplyBeforeCompleting() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        CompletableFuture<Integer> chain = f;
        for (int i = 0; i < 10; i++) {
            chain = chain.thenApply(DeferredBenchmark::plusOne);
        }
        f.complete(0);
        return chain.join();
    }

    @Benchmark
    public int deferred10CallbacksAfterFiring() {
        Deferred<Integer> chain = Deferred.succeed(0);
        for (int i = 0; i < 10; i++) {
            chain = chain.addCallback(DeferredBenchmark::plusOne);
        }
        int[] out = new int[1];
        chain.addCallback(n -> out[0] = n);
        return out[0];
    }

    @Benchmark
    public int completableFuture10ThenApplyAfterCompleting() {
        CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
        for (int i = 0; i < 10; i++) {
            chain = chain.thenApply(DeferredBenchmark::plusOne);
        }
        return chain.join();
    }

    /**
     * 10,000 Deferreds, each waiting on the next through a callback that returns it; the innermost
     * fires last and its result travels out through all of them.
     */
    @Benchmark
    @Measurement(iterations = 5, time = 2)
    public int deferredNested10000() {
        List<Deferred<Integer>> levels = new ArrayList<>(DEPTH + 1);
        for (int i = 0; i <= DEPTH; i++) {
            levels.add(new Deferred<>());
        }
        List<Deferred<Integer>> outer = new ArrayList<>(DEPTH);
        for (int i = 0; i < DEPTH; i++) {
            Deferred<Integer> next = levels.get(i + 1);
            outer.add(levels.get(i).addDeferredCallback(ignored -> next).addCallback(DeferredBenchmark::plusOne));
        }
        for (int i = 0; i < DEPTH; i++) {
            levels.get(i).callback(0);
        }
        levels.get(DEPTH).callback(0);
        int[] out = new int[1];
        outer.get(0).addCallback(n -> out[0] = n);
        return out[0];
    }

    /** The same shape with thenCompose (run with an 8 MiB stack: it recurses once per level). */
    @Benchmark
    @Measurement(iterations = 5, time = 2)
    public int completableFutureNested10000() {
        List<CompletableFuture<Integer>> levels = new ArrayList<>(DEPTH + 1);
        for (int i = 0; i <= DEPTH; i++) {
            levels.add(new CompletableFuture<>());
        }
        List<CompletableFuture<Integer>> outer = new ArrayList<>(DEPTH);
        for (int i = 0; i < DEPTH; i++) {
            CompletableFuture<Integer> next = levels.get(i + 1);
            outer.add(levels.get(i).thenCompose(ignored -> next).thenApply(DeferredBenchmark::plusOne));
        }
        for (int i = 0; i < DEPTH; i++) {
            levels.get(i).complete(0);
        }
        levels.get(DEPTH).complete(0);
        return outer.get(0).join();
    }
}
