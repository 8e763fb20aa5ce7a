package dev.twine.tutorial.servers;

import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.reactor.Address;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.tutorial.Console;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The slow poetry server on the reactor (the tutorial's blocking-server/slowpoetry.py, written as
 * Twisted would write it): to each client, the poem {@code numBytes} characters at a time, one
 * chunk every {@code delay} (the first at once, each sent with {@code callLater}), then the
 * connection closed cleanly one {@code delay} after the last chunk. Where the blocking original
 * serves one client after the other, this one serves them all at once, on the reactor's thread;
 * the bytes and their pacing are the same. A client that leaves stops its chunks.
 */
public final class SlowPoetry {
    private SlowPoetry() {
    }

    /** The poem in chunks of {@code numBytes} characters (code points), each UTF-8 encoded, as the original reads them. */
    static List<byte[]> chunks(String poem, int numBytes) {
        if (numBytes < 1) {
            throw new IllegalArgumentException("--num-bytes must be at least 1, got " + numBytes);
        }
        List<byte[]> chunks = new ArrayList<>();
        int[] codePoints = poem.codePoints().toArray();
        for (int start = 0; start < codePoints.length; start += numBytes) {
            int end = Math.min(codePoints.length, start + numBytes);
            chunks.add(new String(codePoints, start, end - start).getBytes(StandardCharsets.UTF_8));
        }
        return chunks;
    }

    /** Sends one client its poem, a chunk per {@code delay}. */
    static final class SlowPoetryProtocol extends Protocol {
        private final Reactor reactor;
        private final List<byte[]> chunks;
        private final Duration delay;
        private final Console console;
        private DelayedCall next;
        private int sent;

        SlowPoetryProtocol(Reactor reactor, List<byte[]> chunks, Duration delay, Console console) {
            this.reactor = reactor;
            this.chunks = chunks;
            this.delay = delay;
            this.console = console;
        }

        @Override
        public void connectionMade() {
            Address peer = transport().getPeer();
            String who = peer instanceof IPv4Address ip ? "('" + ip.host() + "', " + ip.port() + ")" : String.valueOf(peer);
            console.println("Somebody at " + who + " wants poetry!");
            sendNext();
        }

        private void sendNext() {
            next = null;
            if (sent == chunks.size()) {
                // The original reads an empty chunk one delay after the last one, then closes.
                transport().loseConnection();
                return;
            }
            byte[] chunk = chunks.get(sent++);
            console.println("Sending " + chunk.length + " bytes");
            transport().write(chunk);
            next = reactor.callLater(delay, this::sendNext);
        }

        @Override
        public void connectionLost(Failure reason) {
            if (next != null && next.isActive()) {
                next.cancel();
            }
            next = null;
        }
    }

    /**
     * Listens on {@code port} of {@code iface} and prints {@code Serving <name> on port <port>.}
     * as the original does.
     */
    public static ListeningPort listen(Reactor reactor, String poem, String name, int numBytes, Duration delay, int port,
            String iface, Console console) {
        List<byte[]> chunks = chunks(poem, numBytes);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("--delay must not be negative, got " + delay);
        }
        ListeningPort listening = reactor.listenTCP(port, ProtocolFactory.forProtocol(
                () -> new SlowPoetryProtocol(reactor, chunks, delay, console)), 5, iface);
        console.println("Serving " + name + " on port " + ((IPv4Address) listening.getHost()).port() + ".");
        return listening;
    }
}
