package dev.twine.fakes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scripted TCP client for checking servers (a reactor's, say): it connects, plays its script
 * (sends, sends in slices with pauses, waits for bytes, half-closes, closes, resets), and records
 * everything that came back and how the connection ended. Without a closing step at the end of
 * the script it waits for the server to close. Every fake client runs on one shared thread.
 *
 * <pre>{@code
 * FakeClient client = FakeClient.to("127.0.0.1", port)
 *         .sendSliced(request, 1, Duration.ofMillis(1))   // one byte at a time
 *         .start();
 * ClientRecord seen = client.await(Duration.ofSeconds(10));
 * }</pre>
 */
public final class FakeClient {
    private static final Object LOOP_LOCK = new Object();
    private static EventLoop sharedLoop;

    private sealed interface Step permits Send, Pause, AwaitReceived, HalfClose, Close, Reset {
    }

    private record Send(byte[] data, int slice, Duration pause) implements Step {
    }

    private record Pause(Duration duration) implements Step {
    }

    private record AwaitReceived(long bytes) implements Step {
    }

    private record HalfClose() implements Step {
    }

    private record Close() implements Step {
    }

    private record Reset() implements Step {
    }

    /** Starts a script for a client of {@code host}:{@code port}. */
    public static Builder to(String host, int port) {
        return new Builder(host, port);
    }

    /** A client's script; {@link #start()} runs it. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final List<Step> steps = new ArrayList<>();
        private boolean neverRead;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
        }

        /** Sends {@code data} in one write. */
        public Builder send(byte[] data) {
            steps.add(new Send(data.clone(), Integer.MAX_VALUE, Duration.ZERO));
            return this;
        }

        /** Sends {@code text} as UTF-8 in one write. */
        public Builder send(String text) {
            return send(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends {@code data} in writes of {@code sliceSize} bytes, {@code pause} apart (each its own write even with no pause). */
        public Builder sendSliced(byte[] data, int sliceSize, Duration pause) {
            if (sliceSize < 1) {
                throw new IllegalArgumentException("sliceSize must be at least 1, got " + sliceSize);
            }
            steps.add(new Send(data.clone(), sliceSize, pause));
            return this;
        }

        /** Waits {@code duration} before the next step. */
        public Builder pause(Duration duration) {
            steps.add(new Pause(duration));
            return this;
        }

        /** Waits until {@code totalBytes} have been received in all before the next step. */
        public Builder awaitReceived(long totalBytes) {
            steps.add(new AwaitReceived(totalBytes));
            return this;
        }

        /** Shuts the sending side (the server reads end of stream); the client keeps reading. */
        public Builder halfClose() {
            steps.add(new HalfClose());
            return this;
        }

        /** Closes cleanly (FIN). Ends the script. */
        public Builder close() {
            steps.add(new Close());
            return this;
        }

        /** Resets the connection (RST). Ends the script. */
        public Builder reset() {
            steps.add(new Reset());
            return this;
        }

        /** Never reads: what the server sends piles up in the kernel until it stops taking more. */
        public Builder neverRead() {
            neverRead = true;
            return this;
        }

        /** Gives up (closes, and records it timed out) after {@code timeout}; 30 s unless set. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Connects and runs the script. */
        public FakeClient start() {
            FakeClient client = new FakeClient(host, port, List.copyOf(steps), neverRead, timeout);
            client.loop.execute(client::connect);
            return client;
        }
    }

    private final String host;
    private final int port;
    private final List<Step> steps;
    private final boolean neverRead;
    private final Duration timeout;
    private final EventLoop loop;
    private final ConnectionLog log;
    private final CompletableFuture<ClientRecord> finished = new CompletableFuture<>();
    private volatile String connectError;
    private volatile boolean timedOut;
    private SocketChannel channel;
    private Link link;
    /** The give-up timer, cancelled when the client is done so that the loop does not keep the client until it is due. */
    private EventLoop.Timer giveUp;
    private int next;
    private boolean scriptDone;

    private FakeClient(String host, int port, List<Step> steps, boolean neverRead, Duration timeout) {
        this.host = host;
        this.port = port;
        this.steps = steps;
        this.neverRead = neverRead;
        this.timeout = timeout;
        this.loop = loop();
        this.log = new FakeLog("client", line -> { }).newConnection(host + ":" + port);
    }

    private static EventLoop loop() {
        synchronized (LOOP_LOCK) {
            if (sharedLoop == null) {
                sharedLoop = new EventLoop("twine-fake-clients", error -> { });
            }
            return sharedLoop;
        }
    }

    /** Completes, on the clients' thread, when the client is done. */
    public CompletableFuture<ClientRecord> finished() {
        return finished;
    }

    /** What the client has seen so far. */
    public ClientRecord record() {
        return record(finished.isDone());
    }

    private ClientRecord record(boolean done) {
        ConnectionRecord seen = log.snapshot();
        return new ClientRecord(host + ":" + port, connectError, seen.bytesOut(), seen.bytesIn(), seen.received(),
                seen.ending(), seen.peerHalfClosed(), timedOut, done);
    }

    /**
     * Waits until the client is done and returns its record.
     *
     * @throws IllegalStateException if it is not done within {@code limit}
     */
    public ClientRecord await(Duration limit) {
        try {
            return finished.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the fake client was not done within " + limit + "; so far: " + record());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void connect() {
        giveUp = loop.schedule(timeout, () -> {
            if (!finished.isDone()) {
                timedOut = true;
                if (link != null) {
                    link.closeNow();
                } else {
                    TcpFakeServer.closeQuietly(channel);
                    finish();
                }
            }
        });
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            if (channel.connect(new InetSocketAddress(host, port))) {
                connected();
            } else {
                loop.register(channel, SelectionKey.OP_CONNECT, key -> {
                    try {
                        if (channel.finishConnect()) {
                            key.interestOps(0);
                            connected();
                        }
                    } catch (IOException e) {
                        failedToConnect(e);
                    }
                });
            }
        } catch (IOException e) {
            failedToConnect(e);
        }
    }

    private void failedToConnect(IOException e) {
        TcpFakeServer.closeQuietly(channel);
        connectError = String.valueOf(e.getMessage());
        finish();
    }

    private void connected() throws IOException {
        link = new Link(loop, channel, log, new Link.Listener() {
            @Override
            public void data(Link l, byte[] data) {
                if (!scriptDone && next < steps.size() && steps.get(next) instanceof AwaitReceived) {
                    runSteps();
                }
            }

            @Override
            public void peerClosed(Link l) {
                if (scriptDone) {
                    l.closeAfterSending();
                } else if (next < steps.size() && steps.get(next) instanceof AwaitReceived) {
                    l.closeAfterSending(); // what it waits for will never come
                }
            }

            @Override
            public void ended(Link l) {
                finish();
            }
        });
        link.start();
        if (neverRead) {
            link.stopReading();
        }
        runSteps();
    }

    private void runSteps() {
        while (next < steps.size() && !link.isClosed()) {
            Step step = steps.get(next);
            if (step instanceof Send send) {
                next++;
                if (send.slice() >= send.data().length) {
                    link.send(send.data());
                } else {
                    sendSlices(send, 0);
                    return;
                }
            } else if (step instanceof Pause pause) {
                next++;
                loop.schedule(pause.duration(), this::runSteps);
                return;
            } else if (step instanceof AwaitReceived await) {
                if (log.snapshot().bytesIn() < await.bytes()) {
                    return; // resumed by the data listener
                }
                next++;
            } else if (step instanceof HalfClose) {
                next++;
                link.halfCloseAfterSending();
            } else if (step instanceof Close) {
                next++;
                scriptDone = true;
                link.closeAfterSending();
                return;
            } else if (step instanceof Reset) {
                next++;
                scriptDone = true;
                link.reset();
                return;
            }
        }
        if (next >= steps.size()) {
            scriptDone = true;
            if (log.snapshot().peerHalfClosed()) {
                link.closeAfterSending();
            }
        }
    }

    private void sendSlices(Send send, int at) {
        if (link.isClosed()) {
            return;
        }
        int end = Math.min(send.data().length, at + send.slice());
        link.send(Arrays.copyOfRange(send.data(), at, end));
        if (end == send.data().length) {
            runSteps();
        } else {
            loop.schedule(send.pause(), () -> sendSlices(send, end));
        }
    }

    private void finish() {
        if (giveUp != null) {
            giveUp.cancel();
        }
        finished.complete(record(true));
    }
}
