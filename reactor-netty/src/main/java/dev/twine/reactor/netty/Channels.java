package dev.twine.reactor.netty;

import io.netty.channel.Channel;
import io.netty.channel.nio.AbstractNioChannel;
import java.nio.channels.SelectableChannel;

/**
 * The JDK channel under one of Netty's NIO channels: the reactor lists its own connections and
 * ports as {@link dev.twine.reactor.Descriptor}s, whose {@code channel()} is the JDK channel.
 */
final class Channels {
    private Channels() {
    }

    /** The JDK channel under any of Netty's NIO channels (TCP, Unix domain, UDP; connected or listening). */
    static SelectableChannel jdk(Channel channel) {
        return ((AbstractNioChannel.NioUnsafe) channel.unsafe()).ch();
    }
}
