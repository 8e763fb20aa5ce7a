package dev.twine.fakes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tutorial's slow poetry server: to each client, the poem {@code numBytes} characters at a
 * time (each chunk UTF-8 encoded, so a chunk of non-ASCII text is longer in bytes), one chunk
 * every {@code delay}, the first at once; one more {@code delay} after the last chunk it closes the
 * connection (FIN). Input is ignored (and recorded). A client that goes away is noticed when a send
 * fails, and nothing more is sent to it.
 *
 * <p>Unlike the tutorial's blocking original, which serves one client at a time, it serves every
 * client at once, on one thread. The bytes on the wire and their pacing are the same.
 */
public final class SlowPoetryServer extends TcpFakeServer {
    private final List<byte[]> chunks;
    private final Duration delay;

    SlowPoetryServer(String poem, String name, int numBytes, Duration delay, String iface, int port, Consumer<String> printer) {
        super("slow-poetry", iface, port, printer);
        if (numBytes < 1) {
            throw new IllegalArgumentException("numBytes must be at least 1, got " + numBytes);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        this.chunks = chunk(poem, numBytes);
        this.delay = delay;
        log.line("Serving " + name + " on port " + port() + ".");
        startAccepting();
    }

    /** The poem in chunks of {@code numBytes} characters (code points), each UTF-8 encoded. */
    static List<byte[]> chunk(String poem, int numBytes) {
        List<byte[]> chunks = new ArrayList<>();
        int[] codePoints = poem.codePoints().toArray();
        for (int start = 0; start < codePoints.length; start += numBytes) {
            int end = Math.min(codePoints.length, start + numBytes);
            chunks.add(new String(codePoints, start, end - start).getBytes(StandardCharsets.UTF_8));
        }
        return chunks;
    }

    @Override
    void accepted(Link link) throws IOException {
        log.line("Somebody at ('" + link.log.peer.substring(0, link.log.peer.lastIndexOf(':')) + "', "
                + Link.remotePort(link.channel) + ") wants poetry!");
        link.listener(watched(new Link.Listener() {
            @Override
            public void data(Link l, byte[] data) {
                // ignored, as in the original (recorded by the link)
            }

            @Override
            public void peerClosed(Link l) {
                // the original never reads, so it only notices a vanished client when a send fails
            }
        }));
        link.start();
        long start = System.nanoTime();
        sendChunk(link, 0, start);
    }

    private void sendChunk(Link link, int index, long start) {
        if (link.isClosed()) {
            return;
        }
        if (index == chunks.size()) {
            link.closeAfterSending();
            checkWatchers();
            return;
        }
        byte[] chunk = chunks.get(index);
        log.line("Sending " + chunk.length + " bytes");
        link.send(chunk);
        checkWatchers();
        long due = start + (index + 1) * delay.toNanos();
        loop.schedule(Duration.ofNanos(due - System.nanoTime()), () -> sendChunk(link, index + 1, start));
    }
}
