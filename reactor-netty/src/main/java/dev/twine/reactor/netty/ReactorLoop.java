package dev.twine.reactor.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Netty event loop that owns no thread: whichever thread drives it ({@link NettyReactor#run()} or
 * {@code iterate}) is, for that time, the loop's thread. Netty's own event loops keep one thread for
 * life; a reactor must instead run on the thread that calls {@code run()}, and may be crashed and run
 * again on another, so the loop is driven from outside, one {@link #turn} at a time, around Netty's
 * {@link NioIoHandler}, which selects and reads exactly as in Netty's own loops.
 */
// Netty 4.2 deprecates the channel-registration methods of EventLoopGroup, but its channels still call them.
@SuppressWarnings("deprecation")
final class ReactorLoop extends AbstractScheduledEventExecutor implements IoEventLoop {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final IoHandler io;
    private final Promise<Void> terminated = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    private final Consumer<Throwable> onTaskError;
    private volatile Thread thread;
    private volatile boolean shutDown;
    /** The deadline of the select running now, in Netty's clock. */
    private long selectDeadline;
    private boolean selectMayBlock;

    private final IoHandlerContext context = new IoHandlerContext() {
        @Override
        public boolean canBlock() {
            return selectMayBlock && tasks.isEmpty();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            if (!canBlock()) {
                return 0;
            }
            return selectDeadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, selectDeadline - getCurrentTimeNanos());
        }

        @Override
        public long deadlineNanos() {
            return selectDeadline == Long.MAX_VALUE ? -1 : selectDeadline;
        }
    };

    ReactorLoop(Thread owner, Consumer<Throwable> onTaskError) {
        this.thread = owner;
        this.onTaskError = onTaskError;
        this.io = NioIoHandler.newFactory().newHandler(this);
        io.initialize();
    }

    /** Makes {@code driver} the loop's thread (the one running the reactor). */
    void drivenBy(Thread driver) {
        thread = driver;
    }

    /**
     * One turn of the loop on the calling thread: selects (waiting at most {@code timeoutNanos},
     * {@code Long.MAX_VALUE} for no limit, and not at all if a task is queued), handles the ready
     * channels, then runs Netty's tasks and scheduled tasks that were due.
     */
    void turn(long timeoutNanos) {
        long now = getCurrentTimeNanos();
        long wait = Math.max(0, timeoutNanos);
        // A wait too long to add to now is no limit at all.
        long deadline = wait > Long.MAX_VALUE - Math.max(0, now) ? Long.MAX_VALUE : now + wait;
        long scheduled = nextScheduledTaskDeadlineNanos();
        if (scheduled != -1 && scheduled < deadline) {
            deadline = scheduled;
        }
        selectDeadline = deadline;
        selectMayBlock = deadline > now;
        io.run(context);
        selectMayBlock = false;
        runTasks();
    }

    /** Runs the tasks queued now (not those they queue) and the scheduled tasks that are due. */
    void runTasks() {
        long now = getCurrentTimeNanos();
        for (Runnable task; (task = pollScheduledTask(now)) != null; ) {
            tasks.add(task);
        }
        for (int n = tasks.size(); n > 0; n--) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (Throwable e) {
                onTaskError.accept(e);
            }
        }
    }

    /** Whether a task is waiting. */
    boolean hasTasks() {
        return !tasks.isEmpty();
    }

    /** Wakes a select that is waiting. Safe from any thread. */
    void wakeUp() {
        io.wakeup();
    }

    /** Releases the selector; the loop accepts no more tasks. */
    void destroy() {
        shutDown = true;
        cancelScheduledTasks();
        io.prepareToDestroy();
        io.destroy();
        tasks.clear();
        terminated.trySuccess(null);
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inEventLoop()) {
            io.wakeup();
        }
    }

    @Override
    public boolean inEventLoop(Thread candidate) {
        return candidate == thread;
    }

    @Override
    public EventLoopGroup parent() {
        return this;
    }

    @Override
    public IoEventLoop next() {
        return this;
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return register(new DefaultChannelPromise(channel, this));
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        promise.channel().unsafe().register(this, promise);
        return promise;
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        channel.unsafe().register(this, promise);
        return promise;
    }

    @Override
    public Future<IoRegistration> register(IoHandle handle) {
        Promise<IoRegistration> promise = newPromise();
        Runnable registration = () -> {
            try {
                promise.setSuccess(io.register(handle));
            } catch (Exception e) {
                promise.setFailure(e);
            }
        };
        if (inEventLoop()) {
            registration.run();
        } else {
            execute(registration);
        }
        return promise;
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return io.isCompatible(handleType);
    }

    @Override
    public boolean isIoType(Class<? extends IoHandler> handlerType) {
        return io.getClass().equals(handlerType);
    }

    @Override
    public boolean isShuttingDown() {
        return shutDown;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        // The reactor decides when its loop ends (stop()); Netty code asking is told when it did.
        return terminated;
    }

    @Override
    public Future<?> terminationFuture() {
        return terminated;
    }

    @Override
    @Deprecated
    public void shutdown() {
        // as shutdownGracefully
    }

    @Override
    public boolean isShutdown() {
        return shutDown;
    }

    @Override
    public boolean isTerminated() {
        return terminated.isDone();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
