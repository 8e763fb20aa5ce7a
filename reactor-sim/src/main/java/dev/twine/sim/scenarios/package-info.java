/**
 * The differential catalogue: TCP scenarios written once against {@code reactor-api}, run both on a
 * {@link dev.twine.sim.Simulation} and on a real reactor, whose normalised per-side event sequences
 * must agree.
 */
package dev.twine.sim.scenarios;
