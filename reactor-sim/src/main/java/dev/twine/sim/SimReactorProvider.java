package dev.twine.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import java.util.EnumSet;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The {@code sim} reactor provider: each reactor is the one host of its own simulation, run like a
 * real reactor so that code (and the conformance suite) that runs a reactor on a thread of its own
 * can use it. Its {@code run()} blocks the calling thread, its clock is the wall clock, it waits for
 * {@code callFromThread} calls from other threads, and its thread pool has real threads; its TCP
 * and UDP reach only the simulated network (this one host), never a real socket. For deterministic,
 * seeded runs, make a {@link Simulation} instead.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SimReactorProvider implements ReactorProvider {
    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CORE, Capability.TIME, Capability.THREADS, Capability.TCP, Capability.UDP);
    }

    @Override
    public Reactor createReactor() {
        return Simulation.live().host("sim", "10.0.0.1");
    }
}
