/**
 * Deterministic simulation ({@code reactor-sim}, provider {@code sim}): a {@link dev.twine.sim.Simulation}
 * owns a virtual clock, a seeded random source and a network of {@link dev.twine.sim.SimulatedReactor}
 * hosts that talk TCP and UDP over simulated links, with faults as data ({@link dev.twine.sim.FaultPlan}).
 * A run is a pure function of its seed; every failure can be replayed from it.
 */
package dev.twine.sim;
