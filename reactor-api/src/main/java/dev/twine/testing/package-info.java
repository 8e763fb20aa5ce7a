/**
 * Helpers for testing code that uses a reactor, and for testing reactors.
 *
 * <p>Doubles that need no reactor and no sockets, so a test decides when everything happens:
 * {@link dev.twine.testing.StringTransport} (a transport that records writes),
 * {@link dev.twine.testing.LoopbackPump} (two protocols connected in memory) and
 * {@link dev.twine.testing.MemoryReactor} (a reactor that records listen and connect calls and
 * keeps time with a {@link dev.twine.task.Clock}).
 *
 * <p>Recording helpers, for tests against any reactor, real or not:
 * {@link dev.twine.testing.Recorder}, {@link dev.twine.testing.Echo} and
 * {@link dev.twine.testing.HalfCloseRecorder} (protocols that record their callbacks, bytes and
 * threads, with Deferreds for connected, N bytes received and connection lost),
 * {@link dev.twine.testing.RecordingClientFactory} and
 * {@link dev.twine.testing.RecordingServerFactory}, {@link dev.twine.testing.CallbackThreads}
 * (which thread each callback ran on), {@link dev.twine.testing.Poll} (waiting on the reactor for
 * what another thread does) and {@link dev.twine.testing.ChunkProducer} (a streaming producer for
 * flow-control tests). They are called on the reactor thread, as the reactor calls protocols;
 * what they keep is bounded, and a helper that reaches its limit throws an exception naming it
 * instead of growing.
 */
package dev.twine.testing;
