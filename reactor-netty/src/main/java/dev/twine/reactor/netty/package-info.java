/**
 * A Twine reactor on Netty ({@link dev.twine.reactor.netty.NettyReactor}, provider {@code netty}):
 * Netty's NIO channels, pipelines and selector handling, driven by the thread that runs the reactor.
 */
package dev.twine.reactor.netty;
