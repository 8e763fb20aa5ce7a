package dev.twine.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One selector thread with timers: what every fake server and client runs on, so that a thousand
 * slow clients cost one thread. Plain JDK on purpose: the fake servers are the independent
 * reference reactors are checked against, so they share no code with Twine's reactor.
 */
final class EventLoop implements AutoCloseable {

    /** Code told when its channel is ready. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Consumer<Throwable> onError;
    private long sequence;
    private volatile boolean closed;

    EventLoop(String name, Consumer<Throwable> onError) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.onError = onError;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon. Any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop thread and waits for its result. Not from the loop thread. */
    <T> T call(Callable<T> task) {
        if (inLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw propagate(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw propagate(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(thread.getName() + " did not answer within 30 s", e);
        }
    }

    private static RuntimeException propagate(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return new IllegalStateException(e);
    }

    /** Runs {@code task} after {@code delay}. Loop thread only. */
    Timer schedule(Duration delay, Runnable task) {
        Timer timer = new Timer(System.nanoTime() + Math.max(0, delay.toNanos()), sequence++, task);
        timers.add(timer);
        return timer;
    }

    /** Watches {@code channel}. Loop thread only. */
    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, handler);
    }

    private void run() {
        while (!closed) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runSafely(task);
                }
                long now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().due <= now) {
                    Timer timer = timers.poll();
                    if (!timer.cancelled) {
                        runSafely(timer.task);
                    }
                }
                long timeout = 0;
                if (tasks.isEmpty()) {
                    Timer next = timers.peek();
                    timeout = next == null ? 0 : Math.max(1, (next.due - System.nanoTime() + 999_999) / 1_000_000);
                    if (next != null && next.due <= System.nanoTime()) {
                        continue;
                    }
                    selector.select(key -> dispatch(key), timeout);
                } else {
                    selector.selectNow(key -> dispatch(key));
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                onError.accept(e);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        try {
            ((Handler) key.attachment()).ready(key);
        } catch (java.nio.channels.CancelledKeyException ignored) {
            // closed meanwhile
        } catch (Throwable e) {
            onError.accept(e);
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            onError.accept(e);
        }
    }

    /** Stops the loop and closes every channel it watches. Waits for the thread to end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!inLoop()) {
            try {
                call(() -> {
                    closeChannels();
                    return null;
                });
            } catch (RuntimeException e) {
                // closing anyway
            }
        } else {
            closeChannels();
        }
        closed = true;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // gone
        }
    }

    private void closeChannels() {
        for (SelectionKey key : selector.keys()) {
            try {
                if (key.attachment() instanceof Link link) {
                    link.closeNow();
                } else {
                    key.channel().close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.selectNow(); // let the JDK release the closed sockets
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** A delayed task. */
    static final class Timer implements Comparable<Timer> {
        final long due;
        final long order;
        Runnable task;
        boolean cancelled;

        Timer(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        /** It stays queued until due; what it would run (and all that holds) is let go now. */
        void cancel() {
            cancelled = true;
            task = null;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(due, other.due);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
