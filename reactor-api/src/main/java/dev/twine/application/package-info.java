/**
 * Services: long-running parts of a program (a listening port, a poem loaded at start-up) that
 * start and stop with the reactor, in the spirit of Twisted's {@code twisted.application}.
 * {@link dev.twine.application.Services#runWith} starts a service once the reactor runs and stops
 * it, waiting for its Deferred, before the reactor shuts down.
 */
package dev.twine.application;
