package dev.twine.fakes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A relay to a target server (any TCP server, or another fake) that misbehaves on purpose. Each
 * client connection is relayed to its own connection to the target; bytes from the client go
 * through unchanged, and bytes from the target go through the faults, in this order:
 *
 * <ol>
 *   <li>{@code neverAnswer}: accept, read and drop everything, never send or close (no relay);
 *   <li>{@code closeWithoutSending}: accept and close cleanly at once (no relay);
 *   <li>{@code garbage(n)} and {@code oversizedFrame()}: bytes sent before the target's;
 *   <li>{@code slice(size, pause)}: sent in writes of at most {@code size} bytes, {@code pause} apart;
 *   <li>{@code latency(d)}: each piece held back {@code d};
 *   <li>{@code bandwidth(bytesPerSecond)}: paced to that rate;
 *   <li>{@code resetAfter(n)}: after {@code n} bytes the client connection is reset (RST), but never
 *       sooner than {@link #RESET_GRACE} after it was accepted (see below);
 *   <li>{@code halfCloseAfter(n)}: after {@code n} bytes the sending side is shut (the client
 *       reads end of stream) while the client may still send.
 * </ol>
 *
 * Why the grace before a reset: a non-blocking client learns that its connect finished by reading
 * {@code SO_ERROR} ({@code SocketChannel.finishConnect} in Java, {@code doConnect} in Twisted). On
 * loopback, accepting, relaying a few bytes and resetting can all happen before the client's loop
 * gets there; the kernel then reports the reset as the connect's error, the channel is closed and
 * the bytes already received are lost, so the client sees a failed connect instead of "n bytes,
 * then a reset" (about one run in thirty here without the grace). Holding the reset back until the
 * connection has been open a while makes what a client sees the fault that was asked for.
 *
 * <p>When the target closes, the client connection is closed cleanly once everything has been sent.
 * Each fault applied is recorded on its connection. For a port that refuses connections, see
 * {@link FakeServers#closedPort()}.
 */
public final class ChaosServer extends TcpFakeServer {

    /** The bytes {@code oversizedFrame()} sends: a netstring length far over any sane limit. */
    public static final byte[] OVERSIZED_FRAME = "99999999999:".getBytes(StandardCharsets.US_ASCII);

    /** The least time between accepting a connection and resetting it. */
    public static final Duration RESET_GRACE = Duration.ofMillis(250);

    /** What to do to connections. */
    record Faults(String targetHost, int targetPort, boolean neverAnswer, boolean closeWithoutSending, int garbage,
            boolean oversizedFrame, int sliceSize, Duration slicePause, Duration latency, long bytesPerSecond,
            long resetAfter, long halfCloseAfter, long seed) {
    }

    private final Faults faults;
    private final Random random;

    ChaosServer(Faults faults, String iface, int port, Consumer<String> printer) {
        super("chaos", iface, port, printer);
        this.faults = faults;
        this.random = new Random(faults.seed());
        log.line("Chaos on " + host() + ":" + port() + " -> " + faults.targetHost() + ":" + faults.targetPort() + " " + describe(faults));
        startAccepting();
    }

    private static String describe(Faults f) {
        StringBuilder text = new StringBuilder("(");
        if (f.neverAnswer()) {
            text.append(" never-answer");
        }
        if (f.closeWithoutSending()) {
            text.append(" close-without-sending");
        }
        if (f.garbage() > 0) {
            text.append(" garbage=").append(f.garbage());
        }
        if (f.oversizedFrame()) {
            text.append(" oversized-frame");
        }
        if (f.sliceSize() > 0) {
            text.append(" slice=").append(f.sliceSize());
        }
        if (!f.latency().isZero()) {
            text.append(" latency=").append(f.latency().toMillis()).append("ms");
        }
        if (f.bytesPerSecond() > 0) {
            text.append(" bandwidth=").append(f.bytesPerSecond()).append("B/s");
        }
        if (f.resetAfter() >= 0) {
            text.append(" reset-after=").append(f.resetAfter());
        }
        if (f.halfCloseAfter() >= 0) {
            text.append(" half-close-after=").append(f.halfCloseAfter());
        }
        return text.append(" )").toString().replace("( )", "(no faults)");
    }

    @Override
    void accepted(Link client) throws IOException {
        if (faults.neverAnswer()) {
            client.log.fault(FaultKind.NEVER_ANSWERED, "accepted and left unanswered");
            client.listener(watched(new Link.Listener() {
                @Override
                public void data(Link l, byte[] data) {
                    // dropped
                }

                @Override
                public void peerClosed(Link l) {
                    // still never answers
                }
            }));
            client.start();
            return;
        }
        if (faults.closeWithoutSending()) {
            client.log.fault(FaultKind.CLOSED_WITHOUT_SENDING, "closed at once");
            client.listener(watched((l, data) -> { }));
            client.start();
            client.closeAfterSending();
            return;
        }
        Relay relay = new Relay(client);
        client.listener(watched(relay));
        client.start();
        relay.connect();
    }

    /** One client connection and its connection to the target. */
    private final class Relay implements Link.Listener {
        private final Link client;
        private final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
        private final ArrayDeque<Long> readyAt = new ArrayDeque<>();
        private final ArrayDeque<byte[]> toTarget = new ArrayDeque<>();
        private SocketChannel targetChannel;
        private Link target;
        private long sent;
        private long nextSendAt;
        private boolean sending;
        private boolean targetDone;
        private boolean stopped;
        private final long acceptedAt = System.nanoTime();

        Relay(Link client) {
            this.client = client;
        }

        void connect() throws IOException {
            if (faults.garbage() > 0) {
                byte[] garbage = new byte[faults.garbage()];
                random.nextBytes(garbage);
                client.log.fault(FaultKind.GARBAGE_SENT, faults.garbage() + " random bytes sent first");
                fromTarget(garbage);
            }
            if (faults.oversizedFrame()) {
                client.log.fault(FaultKind.OVERSIZED_FRAME_SENT, "sent " + new String(OVERSIZED_FRAME, StandardCharsets.US_ASCII) + " first");
                fromTarget(OVERSIZED_FRAME);
            }
            if (faults.resetAfter() == 0) {
                shape();
            }
            targetChannel = SocketChannel.open();
            targetChannel.configureBlocking(false);
            if (targetChannel.connect(new InetSocketAddress(faults.targetHost(), faults.targetPort()))) {
                targetConnected();
            } else {
                loop.register(targetChannel, SelectionKey.OP_CONNECT, key -> {
                    try {
                        if (targetChannel.finishConnect()) {
                            key.interestOps(0);
                            targetConnected();
                        }
                    } catch (IOException e) {
                        closeQuietly(targetChannel);
                        client.log.fault(FaultKind.TARGET_UNREACHABLE, faults.targetHost() + ":" + faults.targetPort() + ": " + e.getMessage());
                        targetDone = true;
                        shape();
                        checkWatchers();
                    }
                });
            }
        }

        private void targetConnected() throws IOException {
            if (stopped) {
                closeQuietly(targetChannel);
                return;
            }
            ConnectionLog targetLog = new FakeLog("chaos-target", line -> { }).newConnection(Link.describe(targetChannel));
            target = new Link(loop, targetChannel, targetLog, new Link.Listener() {
                @Override
                public void data(Link link, byte[] data) {
                    fromTarget(data);
                }

                @Override
                public void peerClosed(Link link) {
                    link.closeAfterSending();
                }

                @Override
                public void ended(Link link) {
                    targetDone = true;
                    shape();
                    checkWatchers();
                }
            });
            target.start();
            byte[] early;
            while ((early = toTarget.poll()) != null) {
                target.send(early);
            }
        }

        /** Bytes for the client: split into slices, each ready after the latency. */
        private void fromTarget(byte[] data) {
            if (stopped) {
                return;
            }
            int slice = faults.sliceSize() > 0 ? faults.sliceSize() : data.length;
            long ready = System.nanoTime() + faults.latency().toNanos();
            for (int at = 0; at < data.length; at += slice) {
                toClient.add(Arrays.copyOfRange(data, at, Math.min(data.length, at + slice)));
                readyAt.add(ready);
            }
            shape();
        }

        /** Sends the next slice when it is due, or finishes once the target is done and all is sent. */
        private void shape() {
            if (stopped || sending) {
                return;
            }
            if (toClient.isEmpty()) {
                if (faults.resetAfter() >= 0 && sent >= faults.resetAfter()) {
                    resetClient();
                } else if (targetDone) {
                    client.closeAfterSending();
                }
                return;
            }
            long due = Math.max(readyAt.peek(), nextSendAt);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sending = true;
                loop.schedule(Duration.ofNanos(wait), () -> {
                    sending = false;
                    sendOne();
                });
            } else {
                sendOne();
            }
        }

        private void sendOne() {
            if (stopped || toClient.isEmpty()) {
                shape();
                return;
            }
            byte[] piece = toClient.poll();
            readyAt.poll();
            long limit = Long.MAX_VALUE;
            if (faults.resetAfter() >= 0) {
                limit = faults.resetAfter();
            }
            if (faults.halfCloseAfter() >= 0) {
                limit = Math.min(limit, faults.halfCloseAfter());
            }
            int allowed = (int) Math.min(piece.length, Math.max(0, limit - sent));
            if (allowed > 0) {
                client.send(allowed == piece.length ? piece : Arrays.copyOf(piece, allowed));
                sent += allowed;
            }
            if (faults.resetAfter() >= 0 && sent >= faults.resetAfter()) {
                resetClient();
                return;
            }
            if (faults.halfCloseAfter() >= 0 && sent >= faults.halfCloseAfter()) {
                stopped = true;
                client.log.fault(FaultKind.HALF_CLOSED, "sending side shut after " + sent + " bytes");
                client.halfCloseAfterSending();
                checkWatchers();
                return;
            }
            long pace = faults.bytesPerSecond() > 0 ? allowed * 1_000_000_000L / faults.bytesPerSecond() : 0;
            nextSendAt = System.nanoTime() + pace + faults.slicePause().toNanos();
            checkWatchers();
            shape();
        }

        private void resetClient() {
            stopped = true;
            if (target != null) {
                target.closeNow();
            } else {
                closeQuietly(targetChannel);
            }
            long early = RESET_GRACE.toNanos() - (System.nanoTime() - acceptedAt);
            if (early > 0) {
                loop.schedule(Duration.ofNanos(early), this::resetNow);
            } else {
                resetNow();
            }
        }

        private void resetNow() {
            if (!client.isClosed()) {
                client.log.fault(FaultKind.RESET_AFTER_BYTES, "reset after " + sent + " bytes");
                client.reset();
            }
            checkWatchers();
        }

        @Override
        public void data(Link link, byte[] data) {
            if (target != null) {
                target.send(data);
            } else {
                toTarget.add(data);
            }
        }

        @Override
        public void peerClosed(Link link) {
            if (target != null) {
                target.halfCloseAfterSending();
            }
        }

        @Override
        public void ended(Link link) {
            stopped = true;
            if (target != null) {
                target.closeNow();
            } else {
                closeQuietly(targetChannel);
            }
        }
    }
}
