package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The faults a {@link Simulation} injects, as data: scripted ({@link #of}), read from text
 * ({@link #parse}), or chosen from a seed ({@link #random}). Its {@link #toString()} is the text
 * {@link #parse} reads back, so a failing run's plan can be printed, kept, and replayed.
 *
 * <pre>{@code
 * FaultPlan plan = FaultPlan.parse("partition(host=client, peer=server, at=5ms, for=2s); reset(host=server, after=100, at=0ms, for=forever)");
 * Simulation sim = new Simulation(42, SimulationOptions.defaults().withFaults(plan));
 * }</pre>
 *
 * @param faults the faults, in the order given
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record FaultPlan(List<Fault> faults) {

    /** Copies the list. */
    public FaultPlan {
        faults = List.copyOf(faults);
    }

    /** No faults. */
    public static FaultPlan none() {
        return new FaultPlan(List.of());
    }

    /** These faults. */
    public static FaultPlan of(Fault... faults) {
        return new FaultPlan(List.of(faults));
    }

    /** This plan and {@code more}. */
    public FaultPlan and(Fault... more) {
        List<Fault> all = new ArrayList<>(faults);
        all.addAll(List.of(more));
        return new FaultPlan(all);
    }

    /**
     * Reads a plan written as {@link #toString()} writes it: faults separated by {@code ;}; an empty
     * or blank text is no faults.
     *
     * @throws IllegalArgumentException if a part is not a fault
     */
    public static FaultPlan parse(String text) {
        List<Fault> parsed = new ArrayList<>();
        for (String part : text.split(";")) {
            if (!part.isBlank()) {
                parsed.add(Fault.parse(part));
            }
        }
        return new FaultPlan(parsed);
    }

    /**
     * Up to {@code count} faults chosen by {@code seed} among every kind, on {@code hosts}, starting
     * within {@code horizon} of virtual time. The same arguments give the same plan.
     */
    public static FaultPlan random(long seed, List<String> hosts, Duration horizon, int count) {
        Objects.requireNonNull(hosts, "hosts");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts to put faults on");
        }
        SplittableRandom random = new SplittableRandom(seed);
        long span = Math.max(1, horizon.toNanos());
        List<Fault> chosen = new ArrayList<>();
        Fault.Kind[] kinds = Fault.Kind.values();
        for (int i = 0; i < count; i++) {
            String host = hosts.get(random.nextInt(hosts.size()));
            Duration at = roundedMicros(random.nextLong(span));
            Duration length = roundedMicros(1 + random.nextLong(span));
            chosen.add(switch (kinds[random.nextInt(kinds.length)]) {
                case SPIKE -> Fault.latencySpike(host, at, length, roundedMicros(1 + random.nextLong(span / 4 + 1)));
                case TINY -> Fault.tinySegments(host, at, length);
                case RESET -> Fault.resetAfter(host, 1 + random.nextInt(4096), at, length);
                case REFUSE -> Fault.refuseConnects(host, at, length);
                case STALL -> Fault.stopReading(host, at, length);
                case PARTITION -> Fault.partition(host, hosts.get(random.nextInt(hosts.size())), at, length);
                case CRASH -> Fault.crash(host, at);
            });
        }
        return new FaultPlan(chosen);
    }

    private static Duration roundedMicros(long nanos) {
        return Duration.ofNanos(nanos / 1_000 * 1_000);
    }

    /** Whether there are no faults. */
    public boolean isEmpty() {
        return faults.isEmpty();
    }

    @Override
    public String toString() {
        return faults.stream().map(Fault::toString).collect(Collectors.joining("; "));
    }
}
