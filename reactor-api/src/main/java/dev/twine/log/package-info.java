/**
 * Logging in Twisted's shape ({@code twisted.python.log}): {@link dev.twine.log.Log#msg} and
 * {@link dev.twine.log.Log#err} make events, observers receive them, and {@link
 * dev.twine.log.Log#startLogging} adds one that writes Twisted's lines ({@code 2026-12-02
 * 02:30:00+0000 [system] message}) to a stream or a file. Errors nobody handled (a Failure left in
 * a Deferred, an exception thrown by protocol code) reach the same observers through {@link
 * dev.twine.defer.ErrorLog}'s default.
 */
package dev.twine.log;
