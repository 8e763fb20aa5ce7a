package dev.twine.trial.engine.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Internal. One share of a run split across machines: shard {@code index} of {@code count}, both
 * counted from 1 ({@code 2/4}). Every shard of a run sees the same test classes and computes the same
 * assignment, so that the shards together run each class exactly once.
 *
 * @param index which share, from 1 to {@code count}
 * @param count how many shares the run is split into
 */
@API(status = INTERNAL, since = "0.1")
public record Shard(int index, int count) {

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("a shard is i/n with 1 <= i <= n, got " + index + "/" + count);
        }
    }

    /** Parses {@code i/n}; throws IllegalArgumentException saying what is wrong. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("a shard is i/n (2/4: the second of four), got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a shard is i/n (2/4: the second of four), got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /**
     * The shard (from 1 to {@code count}) of each class. With no recorded times, by a stable hash of
     * the class name ({@link #hash}), so that adding a class moves no other. With recorded times, the
     * longest class first goes to the shard with the least time so far (ties: the lower shard); a
     * class with no recorded time counts as the mean of the recorded ones. Depends only on the names
     * and the times, never on their order.
     *
     * @param classNames the run's test classes
     * @param seconds recorded seconds per class name; empty for the hash
     */
    public static Map<String, Integer> assign(Collection<String> classNames, Map<String, Double> seconds, int count) {
        Set<String> names = new TreeSet<>(classNames);
        Map<String, Integer> shards = new HashMap<>();
        if (seconds.isEmpty()) {
            for (String name : names) {
                shards.put(name, (int) Long.remainderUnsigned(hash(name), count) + 1);
            }
            return shards;
        }
        double mean = seconds.values().stream().mapToDouble(Double::doubleValue).average().orElse(1);
        List<String> longestFirst = new ArrayList<>(names);
        longestFirst.sort(Comparator.comparingDouble((String name) -> seconds.getOrDefault(name, mean)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        double[] load = new double[count];
        for (String name : longestFirst) {
            int least = 0;
            for (int i = 1; i < count; i++) {
                if (load[i] < load[least]) {
                    least = i;
                }
            }
            load[least] += seconds.getOrDefault(name, mean);
            shards.put(name, least + 1);
        }
        return shards;
    }

    /** 64-bit FNV-1a of the name's UTF-8 bytes: the same on every JVM and machine. */
    static long hash(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
