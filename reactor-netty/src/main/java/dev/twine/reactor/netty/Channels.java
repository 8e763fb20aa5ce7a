package dev.twine.reactor.netty;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.SocketUtils;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;

/**
 * Netty's NIO socket channels, with their JDK channels in reach: the reactor lists its own
 * connections and ports as {@link dev.twine.reactor.Descriptor}s, whose {@code channel()} is the
 * JDK channel.
 */
final class Channels {
    private Channels() {
    }

    /** A TCP connection's channel. */
    static final class Socket extends NioSocketChannel {
        Socket() {
        }

        Socket(Channel parent, SocketChannel accepted) {
            super(parent, accepted);
        }

        SocketChannel jdkChannel() {
            return javaChannel();
        }
    }

    /** A listening channel whose accepted connections are {@link Socket}s. */
    static final class Server extends NioServerSocketChannel {
        /**
         * A socket of {@code family}: Netty's default is an IPv6 socket, which would listen on
         * {@code ::} (both families) where Twisted's {@code ""} and {@code 0.0.0.0} mean IPv4 only.
         */
        Server(SocketProtocolFamily family) {
            super(SelectorProvider.provider(), family);
        }

        ServerSocketChannel jdkChannel() {
            return javaChannel();
        }

        @Override
        protected int doReadMessages(List<Object> accepted) throws Exception {
            SocketChannel socket = SocketUtils.accept(javaChannel());
            if (socket == null) {
                return 0;
            }
            try {
                accepted.add(new Socket(this, socket));
                return 1;
            } catch (Throwable e) {
                socket.close();
                throw e;
            }
        }
    }
}
