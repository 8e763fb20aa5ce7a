package dev.twine.reactor.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.AbstractNioByteChannel;
import io.netty.channel.nio.AbstractNioMessageChannel;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.List;

/**
 * Unix domain stream sockets as Netty NIO channels of the reactor's own. Netty 4.2.20 has its own
 * ({@code NioDomainSocketChannel}), but it cannot half-close: Netty's NIO read loop lets a channel
 * hear its peer's end of stream without closing only when the channel's config is a {@link
 * SocketChannelConfig}, and that channel's is not, so a Twisted protocol would never hear {@code
 * readConnectionLost} (the conformance suite's UNIX-30 and UNIX-31 fail on it). These channels are
 * the same JDK sockets ({@code StandardProtocolFamily.UNIX}, JDK 16 and later) with a config that
 * qualifies.
 */
final class UnixChannels {
    private UnixChannels() {
    }

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    /** A connected (or connecting) Unix domain socket. */
    static final class Socket extends AbstractNioByteChannel implements DuplexChannel {
        private final Config config;
        private volatile boolean inputShut;
        private volatile boolean outputShut;

        /** A new, unconnected socket (connectUNIX). */
        Socket() {
            this(null, open());
        }

        /** A socket accepted by {@code parent}. */
        Socket(Channel parent, SocketChannel accepted) {
            super(parent, accepted);
            config = new Config(this, accepted);
        }

        private static SocketChannel open() {
            try {
                return SocketChannel.open(StandardProtocolFamily.UNIX);
            } catch (IOException e) {
                throw new ChannelException("could not open a Unix domain socket", e);
            }
        }

        @Override
        protected SocketChannel javaChannel() {
            return (SocketChannel) super.javaChannel();
        }

        @Override
        public SocketChannelConfig config() {
            return config;
        }

        @Override
        public ChannelMetadata metadata() {
            return METADATA;
        }

        @Override
        public boolean isActive() {
            SocketChannel socket = javaChannel();
            return socket.isOpen() && socket.isConnected();
        }

        @Override
        public boolean isInputShutdown() {
            return inputShut || !isActive();
        }

        @Override
        protected boolean isInputShutdown0() {
            return isInputShutdown();
        }

        @Override
        public boolean isOutputShutdown() {
            return outputShut || !isActive();
        }

        @Override
        public boolean isShutdown() {
            return isInputShutdown() && isOutputShutdown() || !isActive();
        }

        @Override
        public ChannelFuture shutdownInput() {
            return shutdownInput(newPromise());
        }

        @Override
        public ChannelFuture shutdownInput(ChannelPromise promise) {
            onLoop(() -> {
                try {
                    javaChannel().shutdownInput();
                    inputShut = true;
                    promise.setSuccess();
                } catch (IOException | RuntimeException e) {
                    promise.setFailure(e);
                }
            });
            return promise;
        }

        @Override
        public ChannelFuture shutdownOutput() {
            return shutdownOutput(newPromise());
        }

        /** Through Netty's own path, which also fails what is still queued to be written. */
        @Override
        public ChannelFuture shutdownOutput(ChannelPromise promise) {
            onLoop(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
            return promise;
        }

        @Override
        protected void doShutdownOutput() throws Exception {
            javaChannel().shutdownOutput();
            outputShut = true;
        }

        @Override
        public ChannelFuture shutdown() {
            return shutdown(newPromise());
        }

        /** Output, then input; fails with the first direction's error if either failed. */
        @Override
        public ChannelFuture shutdown(ChannelPromise promise) {
            shutdownOutput().addListener(output -> shutdownInput().addListener(input -> {
                Throwable failure = output.cause() != null ? output.cause() : input.cause();
                if (failure != null) {
                    promise.tryFailure(failure);
                } else {
                    promise.trySuccess();
                }
            }));
            return promise;
        }

        private void onLoop(Runnable task) {
            if (eventLoop().inEventLoop()) {
                task.run();
            } else {
                eventLoop().execute(task);
            }
        }

        @Override
        protected SocketAddress localAddress0() {
            try {
                return javaChannel().getLocalAddress();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            try {
                return javaChannel().getRemoteAddress();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        protected void doBind(SocketAddress localAddress) throws Exception {
            javaChannel().bind(localAddress);
        }

        @Override
        protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
            if (localAddress != null) {
                doBind(localAddress);
            }
            boolean done = false;
            try {
                boolean connected = javaChannel().connect(remoteAddress);
                if (!connected) {
                    addAndSubmit(NioIoOps.CONNECT); // the listener's backlog is full: finished when it is ready
                }
                done = true;
                return connected;
            } finally {
                if (!done) {
                    doClose();
                }
            }
        }

        @Override
        protected void doFinishConnect() throws Exception {
            if (!javaChannel().finishConnect()) {
                throw new IllegalStateException("the connect was reported ready but has not finished");
            }
        }

        @Override
        protected void doDisconnect() throws Exception {
            doClose();
        }

        @Override
        protected void doClose() throws Exception {
            super.doClose();
            javaChannel().close();
        }

        @Override
        protected int doReadBytes(ByteBuf buffer) throws Exception {
            unsafe().recvBufAllocHandle().attemptedBytesRead(buffer.writableBytes());
            return buffer.writeBytes(javaChannel(), unsafe().recvBufAllocHandle().attemptedBytesRead());
        }

        @Override
        protected int doWriteBytes(ByteBuf buffer) throws Exception {
            return buffer.readBytes(javaChannel(), buffer.readableBytes());
        }

        @Override
        protected long doWriteFileRegion(FileRegion region) throws Exception {
            return region.transferTo(javaChannel(), region.transferred());
        }
    }

    /**
     * A listening Unix domain socket. Closing it removes its socket file, if it bound one; accepted
     * connections are {@link Socket}s.
     */
    static final class Server extends AbstractNioMessageChannel implements ServerChannel {
        private final DefaultChannelConfig config = new DefaultChannelConfig(this);
        private final int backlog;
        private volatile UnixDomainSocketAddress bound;

        Server(int backlog) {
            super(null, openServer(), NioIoOps.ACCEPT);
            this.backlog = backlog;
        }

        private static ServerSocketChannel openServer() {
            try {
                return ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } catch (IOException e) {
                throw new ChannelException("could not open a Unix domain socket", e);
            }
        }

        @Override
        protected ServerSocketChannel javaChannel() {
            return (ServerSocketChannel) super.javaChannel();
        }

        @Override
        public DefaultChannelConfig config() {
            return config;
        }

        @Override
        public ChannelMetadata metadata() {
            return METADATA;
        }

        @Override
        public boolean isActive() {
            return isOpen() && bound != null;
        }

        @Override
        protected SocketAddress localAddress0() {
            try {
                return javaChannel().getLocalAddress();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return null;
        }

        @Override
        protected void doBind(SocketAddress localAddress) throws Exception {
            javaChannel().bind(localAddress, backlog);
            bound = (UnixDomainSocketAddress) localAddress;
        }

        @Override
        protected void doClose() throws Exception {
            try {
                javaChannel().close();
            } finally {
                if (bound != null) {
                    Files.deleteIfExists(bound.getPath()); // only the file this port made
                }
            }
        }

        @Override
        protected int doReadMessages(List<Object> accepted) throws Exception {
            SocketChannel socket = javaChannel().accept();
            if (socket == null) {
                return 0;
            }
            try {
                accepted.add(new Socket(this, socket));
                return 1;
            } catch (RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        @Override
        protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) {
            throw new UnsupportedOperationException("a listening socket does not connect");
        }

        @Override
        protected void doFinishConnect() {
            throw new UnsupportedOperationException("a listening socket does not connect");
        }

        @Override
        protected void doDisconnect() {
            throw new UnsupportedOperationException("a listening socket does not connect");
        }

        @Override
        protected boolean doWriteMessage(Object message, ChannelOutboundBuffer out) {
            throw new UnsupportedOperationException("a listening socket is not written to");
        }

        @Override
        protected Object filterOutboundMessage(Object message) {
            throw new UnsupportedOperationException("a listening socket is not written to");
        }
    }

    /**
     * A Unix socket's config: a {@link SocketChannelConfig} so that Netty's read loop honours
     * half-closure. Buffer sizes are the socket's; TCP's own options (no-delay, keep-alive, linger,
     * traffic class, address reuse) do not exist here: they read as off and setting them does
     * nothing, as in the nio reactor.
     */
    static final class Config extends DefaultChannelConfig implements SocketChannelConfig {
        private final SocketChannel socket;
        private volatile boolean allowHalfClosure;

        Config(Channel channel, SocketChannel socket) {
            super(channel);
            this.socket = socket;
        }

        @Override
        public boolean isAllowHalfClosure() {
            return allowHalfClosure;
        }

        @Override
        public Config setAllowHalfClosure(boolean allow) {
            allowHalfClosure = allow;
            return this;
        }

        @Override
        public int getSendBufferSize() {
            return option(StandardSocketOptions.SO_SNDBUF);
        }

        @Override
        public Config setSendBufferSize(int size) {
            return option(StandardSocketOptions.SO_SNDBUF, size);
        }

        @Override
        public int getReceiveBufferSize() {
            return option(StandardSocketOptions.SO_RCVBUF);
        }

        @Override
        public Config setReceiveBufferSize(int size) {
            return option(StandardSocketOptions.SO_RCVBUF, size);
        }

        private int option(java.net.SocketOption<Integer> option) {
            try {
                return socket.getOption(option);
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        }

        private Config option(java.net.SocketOption<Integer> option, int value) {
            try {
                socket.setOption(option, value);
            } catch (IOException e) {
                throw new ChannelException(e);
            }
            return this;
        }

        @Override
        public boolean isTcpNoDelay() {
            return false;
        }

        @Override
        public Config setTcpNoDelay(boolean tcpNoDelay) {
            return this;
        }

        @Override
        public int getSoLinger() {
            return -1;
        }

        @Override
        public Config setSoLinger(int soLinger) {
            return this;
        }

        @Override
        public boolean isKeepAlive() {
            return false;
        }

        @Override
        public Config setKeepAlive(boolean keepAlive) {
            return this;
        }

        @Override
        public int getTrafficClass() {
            return 0;
        }

        @Override
        public Config setTrafficClass(int trafficClass) {
            return this;
        }

        @Override
        public boolean isReuseAddress() {
            return false;
        }

        @Override
        public Config setReuseAddress(boolean reuseAddress) {
            return this;
        }

        @Override
        public Config setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
            return this;
        }

        // The setters ChannelConfig has, returning this type.

        @Override
        public Config setConnectTimeoutMillis(int millis) {
            super.setConnectTimeoutMillis(millis);
            return this;
        }

        @Override
        @Deprecated
        public Config setMaxMessagesPerRead(int maxMessagesPerRead) {
            super.setMaxMessagesPerRead(maxMessagesPerRead);
            return this;
        }

        @Override
        public Config setWriteSpinCount(int writeSpinCount) {
            super.setWriteSpinCount(writeSpinCount);
            return this;
        }

        @Override
        public Config setAllocator(ByteBufAllocator allocator) {
            super.setAllocator(allocator);
            return this;
        }

        @Override
        public Config setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
            super.setRecvByteBufAllocator(allocator);
            return this;
        }

        @Override
        public Config setAutoRead(boolean autoRead) {
            super.setAutoRead(autoRead);
            return this;
        }

        @Override
        public Config setAutoClose(boolean autoClose) {
            super.setAutoClose(autoClose);
            return this;
        }

        @Override
        public Config setMessageSizeEstimator(MessageSizeEstimator estimator) {
            super.setMessageSizeEstimator(estimator);
            return this;
        }

        @Override
        public Config setWriteBufferWaterMark(WriteBufferWaterMark waterMark) {
            super.setWriteBufferWaterMark(waterMark);
            return this;
        }
    }
}
