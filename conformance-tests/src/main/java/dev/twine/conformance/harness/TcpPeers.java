package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/**
 * Peers written with the JDK's blocking sockets for the TCP contract rules (abort, lifecycle,
 * connectors): what they read, and how the connection ended for them. Each runs on a thread of
 * its own ({@link Peer}) that ends with its script.
 */
@API(status = INTERNAL, since = "0.1")
public final class TcpPeers {
    /** How long a peer waits on a read before it gives up: only a broken reactor makes it wait that long. */
    private static final int READ_TIMEOUT_MS = 20_000;

    private TcpPeers() {
    }

    /** What a peer read, and whether its connection ended with end of stream or a reset. */
    @API(status = INTERNAL, since = "0.1")
    public record Seen(byte[] bytes, boolean reset) {
        /** "end of stream after N bytes" or "reset after N bytes". */
        public String ending() {
            return (reset ? "reset" : "end of stream") + " after " + bytes.length + " bytes";
        }

        /** How many of the bytes are {@code value}. */
        public int count(byte value) {
            int n = 0;
            for (byte b : bytes) {
                if (b == value) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Reads until end of stream or a reset. */
    public static Seen readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MS);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
            return new Seen(got.toByteArray(), false);
        } catch (SocketException reset) {
            return new Seen(got.toByteArray(), true);
        }
    }

    /** Reads exactly {@code count} bytes, or fails saying how many came before the end. */
    public static byte[] readExactly(Socket socket, int count) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MS);
        InputStream in = socket.getInputStream();
        byte[] data = new byte[count];
        int at = 0;
        while (at < count) {
            int n = in.read(data, at, count - at);
            if (n < 0) {
                throw new IOException("end of stream after " + at + " of the " + count + " bytes expected");
            }
            at += n;
        }
        return data;
    }

    /** A client that connects to {@code port} on the loopback, sends {@code send}, and reads until the end. */
    public static CompletableFuture<Seen> client(String name, int port, byte[] send) {
        return Peer.run(name, () -> {
            try (Socket socket = new Socket(Net.LOOPBACK, port)) {
                socket.getOutputStream().write(send);
                return readToEnd(socket);
            }
        });
    }

    /** A server socket on the loopback, port 0, that the rule closes with its cleanup. */
    public static ServerSocket listen() {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(Net.LOOPBACK, 0), 50);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on the loopback", e);
        }
    }

    /** Accepts one client on {@code server}, sends it {@code greeting}, and reads until the end. */
    public static CompletableFuture<Seen> serveOne(String name, ServerSocket server, byte[] greeting) {
        return Peer.run(name, () -> {
            server.setSoTimeout(READ_TIMEOUT_MS);
            try (Socket socket = server.accept()) {
                socket.getOutputStream().write(greeting);
                return readToEnd(socket);
            }
        });
    }

    /** Closes with a reset (SO_LINGER 0) rather than an orderly close. */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
