package dev.twine.benchmarks;

import dev.twine.protocol.BufferReceiver;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.TcpTransport;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.netty.NettyReactor;
import dev.twine.reactor.nio.NioReactor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An echo server for the side-by-side harnesses, run as its own process:
 * {@code EchoServers twine|twine-buffer|twine-netty|twine-netty-buffer|netty|blocking} (the {@code twine}
 * ones on the nio reactor, the {@code twine-netty} ones on the netty reactor). It prints {@code PORT <n>}, then answers commands on
 * standard input ({@code HEAP}: collect garbage and print {@code HEAP <heap bytes used> <direct bytes used>}) and exits
 * when standard input closes. All three set TCP_NODELAY on accepted connections (Netty's default).
 */
public final class EchoServers {

    private EchoServers() {
    }

    public static void main(String[] args) throws Exception {
        String impl = args.length > 0 ? args[0] : "twine";
        switch (impl) {
            case "twine" -> twine(new NioReactor(), false);
            case "twine-buffer" -> twine(new NioReactor(), true);
            case "twine-netty" -> twine(new NettyReactor(), false);
            case "twine-netty-buffer" -> twine(new NettyReactor(), true);
            case "netty" -> netty(new EchoHandler());
            case "netty-bytes" -> netty(new ArrayEchoHandler());
            case "blocking" -> blocking();
            default -> {
                System.err.println("EchoServers: unknown implementation '" + impl + "' (twine, twine-buffer, twine-netty, "
                        + "twine-netty-buffer, netty, netty-bytes, blocking)");
                System.exit(2);
            }
        }
    }

    /**
     * Twine: one reactor thread; the protocol writes back what it receives, as a new array
     * ({@code dataReceived}), or, with {@code lent}, by writing back the buffer it is lent.
     */
    private static void twine(Reactor reactor, boolean lent) throws Exception {
        ListeningPort port = reactor.listenTCP(0, ProtocolFactory.forProtocol(() -> lent ? new LentBufferEcho() : new Protocol() {
            @Override
            public void connectionMade() {
                ((TcpTransport) transport()).setTcpNoDelay(true);
            }

            @Override
            public void dataReceived(byte[] data) {
                transport().write(data);
            }
        }), 1024, "127.0.0.1");
        Thread loop = new Thread(reactor::run, "twine-echo-reactor");
        loop.start();
        serveCommands(((IPv4Address) port.getHost()).port(), () -> reactor.callFromThread(reactor::stop));
        loop.join();
    }

    /** Echoes through the zero-copy path: the lent read buffer is written straight back. */
    private static final class LentBufferEcho extends Protocol implements BufferReceiver {
        @Override
        public void connectionMade() {
            ((TcpTransport) transport()).setTcpNoDelay(true);
        }

        @Override
        public void bufferReceived(java.nio.ByteBuffer data) {
            transport().write(data);
        }

        @Override
        public void dataReceived(byte[] data) {
            transport().write(data);
        }
    }

    /** Netty: the NIO transport with one event-loop thread for accepting and for I/O. */
    private static void netty(ChannelHandler echo) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(echo);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        serveCommands(port, () -> {
            server.close();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        });
        group.terminationFuture().sync();
    }

    @ChannelHandler.Sharable
    private static class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Netty held to the contract Twisted-shaped code has in Twine: the handler gets the bytes as an
     * array of its own (copied out of Netty's pooled buffer, which goes back at once) and writes an
     * array it may change afterwards (Netty copies the heap buffer into a direct one as it is written,
     * in {@code filterOutboundMessage}). Twine's {@code dataReceived(byte[])} path is measured against
     * this as well as against zero-copy Netty, so that the cost of the contract and the cost of the
     * reactor can be told apart.
     */
    @ChannelHandler.Sharable
    private static final class ArrayEchoHandler extends EchoHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.buffer.ByteBuf in = (io.netty.buffer.ByteBuf) msg;
            byte[] data = new byte[in.readableBytes()];
            in.readBytes(data);
            in.release();
            ctx.write(io.netty.buffer.Unpooled.wrappedBuffer(data));
        }
    }

    /** A blocking server: a thread per connection copying input to output through a 16 KiB buffer. */
    private static void blocking() throws Exception {
        ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    Thread worker = new Thread(() -> pump(socket), "blocking-echo");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "blocking-echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        serveCommands(server.getLocalPort(), () -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // exiting
            }
        });
    }

    private static void pump(Socket socket) {
        byte[] buffer = new byte[16 * 1024];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void serveCommands(int port, Runnable stop) throws IOException {
        System.out.println("PORT " + port);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("HEAP")) {
                long heap = heapUsedAfterGc();
                System.out.println("HEAP " + heap + " " + directUsed());
                System.out.flush();
            }
        }
        stop.run();
    }

    /**
     * Bytes of native memory held by direct buffers: the JDK's own count ({@code BufferPoolMXBean}
     * "direct"), plus, for Netty, what its allocator reserved outside that count (Netty allocates
     * direct memory without a JDK Cleaner when it can, and keeps its own counter).
     */
    static long directUsed() {
        long used = 0;
        for (java.lang.management.BufferPoolMXBean pool
                : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used + Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
    }

    static long heapUsedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
