package dev.twine.sim;

import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real thread pool of the {@code sim} provider's reactor (a simulation proper never uses
 * other threads): started with the reactor, bounded by {@code suggestThreadPoolSize}, shut down
 * when the reactor stops. Work given before the start waits for it.
 */
final class LivePool {
    private final String name;
    private final List<Runnable> early = new ArrayList<>();
    private ThreadPoolExecutor executor;

    LivePool(String name) {
        this.name = name;
    }

    synchronized void start(int size) {
        if (executor != null) {
            return;
        }
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = work -> {
            Thread thread = new Thread(work, "twine-sim-pool-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        executor = new ThreadPoolExecutor(size, size, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        executor.allowCoreThreadTimeOut(true);
        for (Runnable work : early) {
            executor.execute(work);
        }
        early.clear();
    }

    synchronized void submit(Runnable work, ErrorLog log) {
        Runnable logged = () -> {
            try {
                work.run();
            } catch (Throwable e) {
                log.err(new Failure(e), "Unhandled error in a callInThread call:");
            }
        };
        if (executor == null) {
            early.add(logged);
        } else if (!executor.isShutdown()) {
            executor.execute(logged);
        }
    }

    synchronized void resize(int size) {
        if (executor == null) {
            return;
        }
        if (size > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(size);
            executor.setCorePoolSize(size);
        } else {
            executor.setCorePoolSize(size);
            executor.setMaximumPoolSize(size);
        }
    }

    synchronized void shutdown() {
        if (executor != null) {
            executor.shutdown();
        }
    }
}
