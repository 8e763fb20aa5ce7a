package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One fault of a {@link FaultPlan}: what goes wrong, on which host (a host's name, or {@code *}
 * for every host), from when and for how long in virtual time. A fault is data: its {@link
 * #toString()} is the text {@link #parse} reads back, such as {@code spike(host=*, at=10ms,
 * for=200ms, extra=150ms)}.
 *
 * @param kind what goes wrong
 * @param host the host it concerns, or {@code *}
 * @param peer for a partition, the host on the other side ({@code *} for every other host); else {@code null}
 * @param at when it starts, from the simulation's start
 * @param length how long it lasts ({@link #FOREVER} for the rest of the run; zero for a crash, which is instant)
 * @param extra for a latency spike, the latency added; else {@link Duration#ZERO}
 * @param bytes for a reset, after how many bytes sent by {@code host} a connection is reset; else 0
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Fault(Kind kind, String host, String peer, Duration at, Duration length, Duration extra, long bytes) {

    /** A length that never ends. */
    public static final Duration FOREVER = Duration.ofDays(365L * 1000);

    /** What goes wrong. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public enum Kind {
        /** Every link to or from the host is slower by {@code extra}. */
        SPIKE,
        /** Every read on the host's connections (both ways) is one byte. */
        TINY,
        /** Connections opened while it lasts are reset once the host has sent {@code bytes} on them. */
        RESET,
        /** Connection attempts to the host are refused. */
        REFUSE,
        /** The host stops reading its connections: their windows fill, their peers' senders stall. */
        STALL,
        /** Nothing passes between the host and the peer; TCP segments wait for the heal, datagrams are lost. */
        PARTITION,
        /** The host crashes and comes back at once: every connection it has is reset (both ends hear it). */
        CRASH
    }

    /** Checks the parts. */
    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(extra, "extra");
        if (at.isNegative() || length.isNegative() || extra.isNegative() || bytes < 0) {
            throw new IllegalArgumentException("a fault's times and sizes cannot be negative: " + kind);
        }
        if (kind == Kind.PARTITION) {
            Objects.requireNonNull(peer, "a partition needs a peer");
        }
    }

    /** Links to and from {@code host} get {@code extra} more latency from {@code at} for {@code length}. */
    public static Fault latencySpike(String host, Duration at, Duration length, Duration extra) {
        return new Fault(Kind.SPIKE, host, null, at, length, extra, 0);
    }

    /** Reads on {@code host}'s connections (both directions) are sliced into single bytes. */
    public static Fault tinySegments(String host, Duration at, Duration length) {
        return new Fault(Kind.TINY, host, null, at, length, Duration.ZERO, 0);
    }

    /** Connections of {@code host} opened in the window are reset once it has sent {@code bytes} bytes on them. */
    public static Fault resetAfter(String host, long bytes, Duration at, Duration length) {
        return new Fault(Kind.RESET, host, null, at, length, Duration.ZERO, bytes);
    }

    /** Connection attempts to {@code host} are refused in the window. */
    public static Fault refuseConnects(String host, Duration at, Duration length) {
        return new Fault(Kind.REFUSE, host, null, at, length, Duration.ZERO, 0);
    }

    /** {@code host} stops reading its connections in the window. */
    public static Fault stopReading(String host, Duration at, Duration length) {
        return new Fault(Kind.STALL, host, null, at, length, Duration.ZERO, 0);
    }

    /** {@code host} and {@code peer} cannot reach each other in the window; it heals at its end. */
    public static Fault partition(String host, String peer, Duration at, Duration length) {
        return new Fault(Kind.PARTITION, host, peer, at, length, Duration.ZERO, 0);
    }

    /** {@code host} crashes at {@code at}: its connections are reset. */
    public static Fault crash(String host, Duration at) {
        return new Fault(Kind.CRASH, host, null, at, Duration.ZERO, Duration.ZERO, 0);
    }

    /** Whether the fault is in force at {@code nanos} of virtual time. */
    boolean activeAt(long nanos) {
        long start = at.toNanos();
        return nanos >= start && (length.equals(FOREVER) || nanos < start + length.toNanos());
    }

    /** The end of the window in nanoseconds, or {@link Long#MAX_VALUE}. */
    long endNanos() {
        return length.equals(FOREVER) ? Long.MAX_VALUE : at.toNanos() + length.toNanos();
    }

    /** Whether the fault concerns {@code name}. */
    boolean concerns(String name) {
        return host.equals("*") || host.equals(name);
    }

    /** Whether a partition separates {@code a} and {@code b}. */
    boolean separates(String a, String b) {
        return (concerns(a) && (peer.equals("*") || peer.equals(b))) || (concerns(b) && (peer.equals("*") || peer.equals(a)));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(kind.name().toLowerCase(Locale.ROOT)).append("(host=").append(host);
        if (kind == Kind.PARTITION) {
            out.append(", peer=").append(peer);
        }
        if (kind == Kind.RESET) {
            out.append(", after=").append(bytes);
        }
        out.append(", at=").append(text(at));
        if (kind != Kind.CRASH) {
            out.append(", for=").append(text(length));
        }
        if (kind == Kind.SPIKE) {
            out.append(", extra=").append(text(extra));
        }
        return out.append(')').toString();
    }

    /**
     * Reads a fault written as {@link #toString()} writes it.
     *
     * @throws IllegalArgumentException if {@code text} is not such a fault
     */
    public static Fault parse(String text) {
        String s = text.strip();
        int open = s.indexOf('(');
        if (open < 0 || !s.endsWith(")")) {
            throw new IllegalArgumentException("not a fault: '" + text + "' (expected kind(key=value, ...))");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(s.substring(0, open).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault kind in '" + text + "'", e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        String body = s.substring(open + 1, s.length() - 1);
        for (String pair : body.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not key=value: '" + pair.strip() + "' in '" + text + "'");
            }
            values.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        String host = values.getOrDefault("host", "*");
        Duration at = duration(values.getOrDefault("at", "0ms"));
        Duration length = duration(values.getOrDefault("for", kind == Kind.CRASH ? "0ms" : "forever"));
        Duration extra = duration(values.getOrDefault("extra", "0ms"));
        long bytes = Long.parseLong(values.getOrDefault("after", "0"));
        return new Fault(kind, host, values.get("peer"), at, length, extra, bytes);
    }

    static String text(Duration d) {
        if (d.equals(FOREVER)) {
            return "forever";
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + "us";
        }
        return nanos + "ns";
    }

    static Duration duration(String text) {
        String t = text.strip();
        if (t.equals("forever")) {
            return FOREVER;
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("us")) {
            return Duration.ofNanos(Long.parseLong(t.substring(0, t.length() - 2)) * 1_000);
        }
        if (t.endsWith("ns")) {
            return Duration.ofNanos(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        throw new IllegalArgumentException("not a duration: '" + text + "' (use 10ms, 250us, 40ns, 2s or forever)");
    }
}
